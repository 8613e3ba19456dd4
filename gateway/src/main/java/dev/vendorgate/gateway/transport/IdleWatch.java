package dev.vendorgate.gateway.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a connection has read nothing and been given nothing to
 * write for the idle time, and again each idle time after that while it stays so; the handler after it decides
 * whether to close (a connection with a request in flight is not idle to it). It replaces Netty's
 * {@code IdleStateHandler(0, 0, idle)}, which adds a listener to every write's promise to time its completion:
 * under load that listener, its promise and its clock reads were a few percent of the gateway's CPU. Here a read
 * or a write only sets a flag, and a check every quarter of the idle time looks at it, so the event comes between
 * the idle time and 1.25 times it after the last activity. A write counts when it is asked for, not when it
 * completes: a peer that stops reading stops the writes too (they wait on the channel's writability), so it goes
 * idle all the same.
 */
public final class IdleWatch extends ChannelDuplexHandler {

    private final long idleNanos;
    private final long periodNanos;
    private boolean active;
    private long quietSince;
    private ScheduledFuture<?> check;

    public IdleWatch(Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle time must be positive: " + idle);
        }
        this.idleNanos = idle.toNanos();
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleNanos / 4);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        active = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        active = true;
        ctx.write(msg, promise);
    }

    private void start(ChannelHandlerContext ctx) {
        if (check != null) {
            return;
        }
        quietSince = ctx.executor().ticker().nanoTime();
        check = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
    }

    private void tick(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime(); // the event loop's clock, that its timers run on
        if (active) {
            active = false;
            quietSince = now;
        } else if (now - quietSince >= idleNanos) {
            quietSince = now; // the next event after another idle time, as long as it stays quiet
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
    }
}
