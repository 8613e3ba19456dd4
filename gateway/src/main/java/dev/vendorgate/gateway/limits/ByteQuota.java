package dev.vendorgate.gateway.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes moved in one direction for one vendor in the current UTC day, against a limit. Counted on
 * the bytes actually streamed; a new day starts from zero. Lock-free: the day and its counter are
 * swapped together.
 */
final class ByteQuota {

    private record Period(long day, AtomicLong used) {}

    private final AtomicReference<Period> period;
    private volatile long limit;

    ByteQuota(long limit, Instant now) {
        this.limit = limit;
        this.period = new AtomicReference<>(new Period(day(now), new AtomicLong()));
    }

    static long day(Instant now) {
        return now.getEpochSecond() / 86_400;
    }

    /** The current day's counter, rolling over at midnight UTC. */
    private AtomicLong used(Instant now) {
        long today = day(now);
        while (true) {
            Period current = period.get();
            if (current.day() >= today) {
                return current.used();
            }
            if (period.compareAndSet(current, new Period(today, new AtomicLong()))) {
                return period.get().used();
            }
        }
    }

    /** Adds {@code bytes}; returns whether the quota is now exceeded. */
    boolean add(long bytes, Instant now) {
        return used(now).addAndGet(bytes) > limit;
    }

    boolean exhausted(Instant now) {
        return used(now).get() >= limit;
    }


    long usedToday(Instant now) {
        return used(now).get();
    }

    long limit() {
        return limit;
    }

    void limit(long limit) {
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
        return LocalDate.ofEpochDay(day(now)).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
