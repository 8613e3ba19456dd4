package dev.vendorgate.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests can move forward (to the next quota period, past a suspension's end, past "the
 * same second") instead of waiting. Stopped at its start unless made {@link #ticking()}: then it
 * runs with the system clock, ahead of it by what the test advanced, so that token buckets refill
 * and timeouts measured on it pass as they would.
 */
public final class MutableClock extends Clock {

    private final boolean ticking;
    private volatile Instant now;

    public MutableClock(Instant start) {
        this(start, false);
    }

    private MutableClock(Instant start, boolean ticking) {
        this.now = start;
        this.ticking = ticking;
    }

    /** The system clock, which the test can move ahead. */
    public static MutableClock ticking() {
        return new MutableClock(Instant.EPOCH, true);
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        // ticking: "now" holds how far ahead of the system clock it is, from the epoch
        return ticking ? Instant.now().plus(Duration.between(Instant.EPOCH, now)) : now;
    }
}
