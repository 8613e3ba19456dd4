package dev.vendorgate.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit as the generic cell rate algorithm: the token bucket kept as one number (the
 * theoretical arrival time), updated with compare-and-set, so any number of event loops can
 * share it without a lock. Allows {@code burst} requests at once, then {@code rate} per second.
 */
final class Gcra {

    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);
    private final long interval;
    private final long capacity;
    private final int burst;
    private final double rate;

    Gcra(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
        this.interval = Math.max(1, (long) (1_000_000_000L / rate));
        this.capacity = interval * burst;
    }

    /**
     * Takes {@code cost} requests' worth at {@code nowNanos}.
     *
     * @return 0 when allowed, otherwise the nanoseconds until it would be
     */
    long acquire(long nowNanos, int cost) {
        long increment = interval * cost;
        while (true) {
            long current = tat.get();
            long base = current == Long.MIN_VALUE || current < nowNanos ? nowNanos : current;
            long next = base + increment;
            if (next - nowNanos > capacity) {
                return next - nowNanos - capacity;
            }
            if (tat.compareAndSet(current, next)) {
                return 0;
            }
        }
    }

    /** Gives back what {@link #acquire} took, when a later check refused the request after all. */
    void refund(int cost) {
        tat.addAndGet(-interval * cost);
    }

    /** Requests that could be made at once now. */
    long remaining(long nowNanos) {
        long current = tat.get();
        long used = current == Long.MIN_VALUE || current < nowNanos ? 0 : current - nowNanos;
        return Math.max(0, (capacity - used) / interval);
    }

    /** Seconds until the bucket is full again. */
    long secondsToFull(long nowNanos) {
        long current = tat.get();
        long used = current == Long.MIN_VALUE || current < nowNanos ? 0 : current - nowNanos;
        return (used + 999_999_999L) / 1_000_000_000L;
    }

    int burst() {
        return burst;
    }

    double rate() {
        return rate;
    }

    boolean sameAs(double rate, int burst) {
        return this.rate == rate && this.burst == burst;
    }
}
