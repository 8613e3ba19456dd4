package dev.vendorgate.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vendorgate.policy.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One vendor's limits and usage: request rate for the vendor and for each of its clients,
 * requests in flight, and daily byte quotas each way. Shared by every event loop; nothing here
 * takes a lock. Per-client state is bounded and ages out, so a flood of distinct client ids
 * cannot grow it without limit.
 */
public final class VendorLimiter {

    static final long MAX_CLIENTS = 100_000;
    static final Duration CLIENT_IDLE = Duration.ofMinutes(10);

    private volatile Limits limits;
    private volatile Gcra rate;
    private volatile Cache<String, Gcra> clients;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ByteQuota out;
    private final ByteQuota in;
    private volatile long persistedOut = -1;
    private volatile long persistedIn = -1;

    private final java.time.Clock clock;

    VendorLimiter(Limits limits, java.time.Clock clock) {
        this.clock = clock;
        Instant now = clock.instant();
        this.out = new ByteQuota(limits.bytesOutPerDay() > 0 ? limits.bytesOutPerDay() : Long.MAX_VALUE, now);
        this.in = new ByteQuota(limits.bytesInPerDay() > 0 ? limits.bytesInPerDay() : Long.MAX_VALUE, now);
        update(limits);
    }

    /** Applies new limits from a reloaded policy, keeping usage (and rate state when the rate is unchanged). */
    void update(Limits next) {
        this.limits = next;
        Gcra current = rate;
        if (next.requestsPerSecond() <= 0) {
            rate = null;
        } else if (current == null || !current.sameAs(next.requestsPerSecond(), next.burst())) {
            rate = new Gcra(next.requestsPerSecond(), next.burst());
        }
        if (next.clientRequestsPerSecond() <= 0) {
            clients = null;
        } else if (clients == null) {
            clients = Caffeine.newBuilder().maximumSize(MAX_CLIENTS).expireAfterAccess(CLIENT_IDLE).build();
        } else {
            clients.invalidateAll();
        }
        out.limit(next.bytesOutPerDay() > 0 ? next.bytesOutPerDay() : Long.MAX_VALUE);
        in.limit(next.bytesInPerDay() > 0 ? next.bytesInPerDay() : Long.MAX_VALUE);
    }

    public Limits limits() {
        return limits;
    }

    /** Now, by the gateway's clock. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Takes {@code cost} from the vendor's rate and then the client's.
     *
     * @return null if allowed, otherwise which limit refused and how long to wait
     */
    public Refusal acquireRate(String client, int cost, long nowNanos) {
        Gcra vendorRate = rate;
        if (vendorRate != null) {
            long wait = vendorRate.acquire(nowNanos, cost);
            if (wait > 0) {
                return new Refusal(Refusal.Kind.VENDOR_RATE, wait, vendorRate.rate(), vendorRate.burst());
            }
        }
        Cache<String, Gcra> perClient = clients;
        if (perClient != null) {
            Limits current = limits;
            Gcra clientRate = perClient.get(client, c -> new Gcra(current.clientRequestsPerSecond(), current.clientBurst()));
            long wait = clientRate.acquire(nowNanos, cost);
            if (wait > 0) {
                return new Refusal(Refusal.Kind.CLIENT_RATE, wait, clientRate.rate(), clientRate.burst());
            }
        }
        return null;
    }

    /** Takes a slot for a request in flight; false when the vendor is at its cap. Release with {@link #release}. */
    public boolean acquireInFlight() {
        int max = limits.maxConcurrent();
        if (max <= 0) {
            inFlight.incrementAndGet();
            return true;
        }
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public boolean outExhausted(Instant now) {
        return out.exhausted(now);
    }

    public boolean inExhausted(Instant now) {
        return in.exhausted(now);
    }

    /** Counts bytes sent to the vendor; true when that crosses the quota. */
    public boolean countOut(long bytes, Instant now) {
        return out.add(bytes, now);
    }

    /** Counts bytes received from the vendor; true when that crosses the quota. */
    public boolean countIn(long bytes, Instant now) {
        return in.add(bytes, now);
    }

    public long bytesOut(Instant now) {
        return out.usedToday(now);
    }

    public long bytesIn(Instant now) {
        return in.usedToday(now);
    }

    public Instant quotaResetsAt(Instant now) {
        return out.resetsAt(now);
    }

    public Instant periodStart(Instant now) {
        return out.periodStart(now);
    }

    /** Restores counts persisted earlier in the same period. */
    void restore(Instant period, long bytesIn, long bytesOut, Instant now) {
        in.restore(period, bytesIn, now);
        out.restore(period, bytesOut, now);
    }

    /** Whether usage changed since it was last persisted; marks it persisted. */
    boolean changedSincePersisted(Instant now) {
        long o = out.usedToday(now);
        long i = in.usedToday(now);
        if (o == persistedOut && i == persistedIn) {
            return false;
        }
        persistedOut = o;
        persistedIn = i;
        return true;
    }

    /** Remaining requests of the vendor's rate right now, for the RateLimit header. */
    long remaining(long nowNanos) {
        Gcra vendorRate = rate;
        return vendorRate == null ? -1 : vendorRate.remaining(nowNanos);
    }

    /** Client ids with rate state held now (bounded). */
    long trackedClients() {
        Cache<String, Gcra> perClient = clients;
        if (perClient == null) {
            return 0;
        }
        perClient.cleanUp();
        return perClient.estimatedSize();
    }

    /**
     * Why a request was refused by a rate limit.
     *
     * @param waitNanos time until the request would be allowed
     */
    public record Refusal(Kind kind, long waitNanos, double rate, int burst) {
        public enum Kind { VENDOR_RATE, CLIENT_RATE }

        public long retryAfterSeconds() {
            return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        }
    }
}
