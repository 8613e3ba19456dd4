package dev.vendorgate.gateway.proxy;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * The response timers of one event loop's exchanges that wait with the same timeout (an upstream's
 * {@code timeouts.request}), kept with one scheduled task instead of one per request. Exchanges that wait
 * with the same timeout expire in the order they started waiting, so they are a queue in that order, and
 * one task armed for the first one's deadline serves them all: when it runs, it expires every exchange
 * whose deadline has come and arms itself again for the next one. Each exchange still times out exactly at
 * its deadline, as with a timer of its own; what goes is a task object and two priority-queue operations on
 * the event loop per request (scheduling and cancelling them was about 1% of the event loops' time in an
 * HTTP/1.1 profile under full load). Confined to its event loop, like the exchanges.
 */
final class ResponseDeadlines {

    /** One exchange waiting for its response head; {@link #cancel()} when the head came or the exchange ended. */
    static final class Wait {
        private final ResponseDeadlines owner;
        private final Runnable onExpiry;
        private final long deadline;
        private Wait previous;
        private Wait next;
        private boolean waiting = true;

        private Wait(ResponseDeadlines owner, Runnable onExpiry, long deadline) {
            this.owner = owner;
            this.onExpiry = onExpiry;
            this.deadline = deadline;
        }

        /** Stops the wait; nothing happens if it already expired or was cancelled. */
        void cancel() {
            if (waiting) {
                owner.unlink(this);
            }
        }
    }

    private final EventLoop loop;
    private final long timeoutNanos;
    private Wait first;
    private Wait last;
    private boolean armed;

    ResponseDeadlines(EventLoop loop, long timeoutNanos) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Starts a wait that runs {@code onExpiry} on the loop when the timeout passes without a cancel. */
    Wait start(Runnable onExpiry) {
        assert loop.inEventLoop();
        Wait wait = new Wait(this, onExpiry, loop.ticker().nanoTime() + timeoutNanos);
        if (last == null) {
            first = wait;
        } else {
            last.next = wait;
            wait.previous = last;
        }
        last = wait;
        if (!armed) {
            // an armed task is due at or before this deadline (it was armed for an earlier wait of the same timeout)
            arm(wait.deadline);
        }
        return wait;
    }

    private void arm(long deadline) {
        armed = true;
        loop.schedule(this::expire, Math.max(0, deadline - loop.ticker().nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void expire() {
        armed = false;
        long now = loop.ticker().nanoTime();
        while (first != null && first.deadline - now <= 0) {
            Wait due = first;
            unlink(due);
            due.onExpiry.run(); // may start or cancel other waits: the queue is read afresh each time round
        }
        if (first != null && !armed) {
            arm(first.deadline);
        }
    }

    private void unlink(Wait wait) {
        wait.waiting = false;
        if (wait.previous == null) {
            first = wait.next;
        } else {
            wait.previous.next = wait.next;
        }
        if (wait.next == null) {
            last = wait.previous;
        } else {
            wait.next.previous = wait.previous;
        }
        wait.previous = null;
        wait.next = null;
    }

    /** Waits not yet expired or cancelled (for tests). */
    int waiting() {
        int n = 0;
        for (Wait w = first; w != null; w = w.next) {
            n++;
        }
        return n;
    }
}
