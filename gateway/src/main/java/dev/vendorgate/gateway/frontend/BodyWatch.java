package dev.vendorgate.gateway.frontend;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Watches the body of the current request: one that makes no progress for the idle timeout,
 * while the gateway is asking for it, times out, whatever the request is waiting for, so a
 * vendor cannot hold a connection with a body that never completes. Confined to the
 * connection's event loop.
 */
final class BodyWatch {

    private final long timeoutNanos;
    private final long periodMillis;
    private long progressNanos;
    private ScheduledFuture<?> task;

    BodyWatch(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    }

    /**
     * Starts watching (or goes on watching) from now.
     *
     * @param waiting whether the body is still expected and asked for: a body the gateway is not
     *     reading (an upstream slow to take it) is not the vendor's delay
     * @param onTimeout run once, on the event loop, when the body made no progress in time
     */
    void start(ChannelHandlerContext ctx, BooleanSupplier expected, BooleanSupplier waiting, Runnable onTimeout) {
        progressNanos = System.nanoTime();
        if (task != null) {
            return;
        }
        task = ctx.executor()
                .scheduleAtFixedRate(
                        () -> {
                            if (!expected.getAsBoolean()) {
                                return;
                            }
                            if (!waiting.getAsBoolean()) {
                                progressNanos = System.nanoTime();
                                return;
                            }
                            if (System.nanoTime() - progressNanos >= timeoutNanos) {
                                stop();
                                onTimeout.run();
                            }
                        },
                        periodMillis,
                        periodMillis,
                        TimeUnit.MILLISECONDS);
    }

    /** The body made progress. */
    void progressed() {
        progressNanos = System.nanoTime();
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
