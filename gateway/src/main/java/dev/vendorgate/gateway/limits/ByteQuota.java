package dev.vendorgate.gateway.limits;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes moved in one direction for one vendor in the current UTC day, against a limit. Counted on
 * the bytes actually streamed; a new day starts from zero. Lock-free: the day and its counters are
 * swapped together.
 *
 * <p>In a fleet ({@link #leased}) the node may only count what the fleet granted it today:
 * {@code granted} grows as leases come back, and the quota is exhausted here once the count
 * passes it and the fleet has said there is no more.
 */
final class ByteQuota {

    private record Period(long day, AtomicLong used, AtomicLong granted, AtomicBoolean fleetExhausted) {
        Period(long day) {
            this(day, new AtomicLong(), new AtomicLong(), new AtomicBoolean());
        }
    }

    private final AtomicReference<Period> period;
    private volatile long limit;
    private volatile boolean leased;
    /** While the fleet is out of reach: what this node may count today (its share), else -1. */
    private volatile long outageCap = -1;

    ByteQuota(long limit, Instant now) {
        this.limit = limit;
        this.period = new AtomicReference<>(new Period(day(now)));
    }

    static long day(Instant now) {
        return now.getEpochSecond() / 86_400;
    }

    /** The current day's counters, rolling over at midnight UTC. */
    private Period current(Instant now) {
        long today = day(now);
        while (true) {
            Period current = period.get();
            if (current.day() >= today) {
                return current;
            }
            if (period.compareAndSet(current, new Period(today))) {
                return period.get();
            }
        }
    }

    private AtomicLong used(Instant now) {
        return current(now).used();
    }

    /** Adds {@code bytes}; returns whether the quota is now exceeded (here, or in a fleet, everywhere). */
    boolean add(long bytes, Instant now) {
        Period p = current(now);
        long used = p.used().addAndGet(bytes);
        if (used > limit) {
            return true;
        }
        if (!leased) {
            return false;
        }
        long cap = outageCap;
        return cap >= 0
                ? used > cap
                : used > p.granted().get() && p.fleetExhausted().get();
    }

    boolean exhausted(Instant now) {
        Period p = current(now);
        long used = p.used().get();
        if (used >= limit) {
            return true;
        }
        if (!leased) {
            return false;
        }
        long cap = outageCap;
        return cap >= 0
                ? used >= cap
                : used >= p.granted().get() && p.fleetExhausted().get();
    }

    /**
     * The fleet cannot be asked: until a lease comes back, this node counts up to {@code share}
     * today (its share of the quota), or up to what it was granted if that is more.
     */
    void fleetUnreachable(long share, Instant now) {
        outageCap = Math.max(share, current(now).granted().get());
    }

    /** Counts bytes against leases from the fleet from now on. */
    void leased(boolean on) {
        this.leased = on;
    }

    boolean leased() {
        return leased;
    }

    /** In a fleet: how much more may be counted before the grants run out (negative: past them). */
    long leaseRemaining(Instant now) {
        Period p = current(now);
        return p.granted().get() - p.used().get();
    }

    boolean fleetExhausted(Instant now) {
        return current(now).fleetExhausted().get();
    }

    /** A lease came back: {@code granted} of the {@code asked} bytes; fewer means the fleet has no more today. */
    void granted(long granted, long asked, Instant now) {
        outageCap = -1;
        Period p = current(now);
        p.granted().addAndGet(Math.max(0, granted));
        if (granted < asked) {
            p.fleetExhausted().set(true);
        }
    }

    /** Guards against asking for two leases at once. */
    final AtomicBoolean asking = new AtomicBoolean();

    long usedToday(Instant now) {
        return used(now).get();
    }

    long limit() {
        return limit;
    }

    void limit(long limit) {
        if (limit > this.limit) {
            period.get().fleetExhausted().set(false); // a larger quota: the fleet may have more to give
        }
        this.limit = limit;
    }

    /** Restores a count persisted earlier today (after a restart), keeping the larger. */
    void restore(Instant periodStart, long bytes, Instant now) {
        if (day(periodStart) == day(now)) {
            AtomicLong used = used(now);
            used.accumulateAndGet(bytes, Math::max);
        }
    }

    /** The start of the current period (midnight UTC). */
    Instant periodStart(Instant now) {
        return Instant.ofEpochSecond(day(now) * 86_400);
    }

    /** When the current period ends. */
    Instant resetsAt(Instant now) {
        return Instant.ofEpochSecond((day(now) + 1) * 86_400); // the next midnight UTC (a day of UTC is 86,400 s)
    }
}
