package dev.vendorgate.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vendorgate.gateway.control.QuotaLeaser;
import dev.vendorgate.policy.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
    private final String vendor;
    private volatile QuotaLeaser leaser;
    private final FleetRate fleetRate = new FleetRate();

    VendorLimiter(Limits limits, java.time.Clock clock) {
        this(null, limits, clock);
    }

    VendorLimiter(String vendor, Limits limits, java.time.Clock clock) {
        this.vendor = vendor;
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
            clients = Caffeine.newBuilder()
                    .maximumSize(MAX_CLIENTS)
                    .expireAfterAccess(CLIENT_IDLE)
                    .build();
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
     * Takes {@code cost} from the client's rate and then the vendor's; a refusal by either takes nothing.
     *
     * @return null if allowed, otherwise which limit refused and how long to wait
     */
    public Refusal acquireRate(String client, int cost, long nowNanos) {
        // the client's own limit first: a client it refuses must not drain its vendor's shared rate
        Gcra clientRate = null;
        Cache<String, Gcra> perClient = clients;
        if (perClient != null) {
            Limits current = limits;
            clientRate = perClient.get(client, c -> new Gcra(current.clientRequestsPerSecond(), current.clientBurst()));
            long wait = clientRate.acquire(nowNanos, cost);
            if (wait > 0) {
                return new Refusal(Refusal.Kind.CLIENT_RATE, wait, clientRate.rate(), clientRate.burst());
            }
        }
        Gcra vendorRate = rate;
        if (vendorRate != null) {
            long wait = vendorRate.acquire(nowNanos, cost);
            if (wait <= 0 && leaser != null && vendor != null) {
                wait = fleetRate.acquire(vendorRate, cost, nowNanos);
                if (wait > 0) {
                    vendorRate.refund(cost);
                }
            }
            if (wait > 0) {
                if (clientRate != null) {
                    clientRate.refund(cost);
                }
                return new Refusal(Refusal.Kind.VENDOR_RATE, wait, vendorRate.rate(), vendorRate.burst());
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
        boolean crossed = out.add(bytes, now);
        lease(out, "out", now);
        return crossed;
    }

    /** Counts bytes received from the vendor; true when that crosses the quota. */
    public boolean countIn(long bytes, Instant now) {
        boolean crossed = in.add(bytes, now);
        lease(in, "in", now);
        return crossed;
    }

    /**
     * Counts this vendor's byte quotas across a fleet from now on: bytes are counted locally as
     * before, and a share of the fleet's quota is asked for before the local count passes what
     * was granted. Null: this node alone.
     */
    void leaser(QuotaLeaser next) {
        this.leaser = next;
        out.leased(next != null && vendor != null);
        in.leased(next != null && vendor != null);
        Instant now = clock.instant();
        lease(out, "out", now);
        lease(in, "in", now);
    }

    /** The share asked for ahead of need: 1/64 of the quota, between 64 KiB (a body buffer) and 64 MiB. */
    static long leaseSize(long limit) {
        return Math.min(limit, Math.max(64L << 10, Math.min(64L << 20, limit / 64)));
    }

    /** Asks the fleet for more of {@code quota} when less than half a lease is left; never waits for it. */
    private void lease(ByteQuota quota, String direction, Instant now) {
        QuotaLeaser current = leaser;
        long limit = quota.limit();
        if (current == null || !quota.leased() || limit == Long.MAX_VALUE || quota.fleetExhausted(now)) {
            return;
        }
        long size = leaseSize(limit);
        long remaining = quota.leaseRemaining(now);
        if (remaining >= size / 2 || !quota.asking.compareAndSet(false, true)) {
            return;
        }
        // what was counted past the grants (a buffer can be larger than what was left) plus a lease ahead
        long want = size + Math.max(0, -remaining);
        current.lease(vendor, direction, want, limit).whenComplete((granted, error) -> {
            quota.asking.set(false);
            Instant at = clock.instant();
            if (error != null) {
                // the fleet cannot be asked: this node keeps to its share of the quota (see docs/deployment.md)
                quota.fleetUnreachable(limit / Math.max(1, current.fleetSize()), at);
                return;
            } else {
                quota.granted(granted, want, at);
            }
            lease(quota, direction, at); // a fast transfer may already need the next one
        });
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

    /**
     * The {@code RateLimit-Policy} and {@code RateLimit} fields of a response that was allowed: the
     * vendor's request rate and its daily byte quotas with what is left of each, so a client can pace
     * itself before it is refused. Empty when the vendor has no limit.
     */
    public Map<String, String> state(long nowNanos, Instant now) {
        Limits current = limits;
        Gcra vendorRate = rate;
        StringBuilder left = new StringBuilder(96);
        if (vendorRate != null) {
            left.append("\"vendor\";r=")
                    .append(vendorRate.remaining(nowNanos))
                    .append(";t=")
                    .append(vendorRate.secondsToFull(nowNanos));
        }
        if (current.bytesOutPerDay() > 0 || current.bytesInPerDay() > 0) {
            long reset = RateLimitHeaders.secondsUntil(now, quotaResetsAt(now));
            if (current.bytesOutPerDay() > 0) {
                left.append(left.length() > 0 ? ", " : "")
                        .append("\"bytes-out\";r=")
                        .append(Math.max(0, current.bytesOutPerDay() - bytesOut(now)))
                        .append(";t=")
                        .append(reset);
            }
            if (current.bytesInPerDay() > 0) {
                left.append(left.length() > 0 ? ", " : "")
                        .append("\"bytes-in\";r=")
                        .append(Math.max(0, current.bytesInPerDay() - bytesIn(now)))
                        .append(";t=")
                        .append(reset);
            }
        }
        if (left.length() == 0) {
            return Map.of();
        }
        return Map.of("RateLimit-Policy", policyField(current, vendorRate), "RateLimit", left.toString());
    }

    /** The {@code RateLimit-Policy} value of these limits: the same for every response until they change. */
    private String policyField(Limits current, Gcra vendorRate) {
        PolicyField cached = policyField;
        if (cached != null && cached.limits() == current && cached.rate() == vendorRate) {
            return cached.value();
        }
        String value = RateLimitHeaders.policy(current, vendorRate);
        policyField = new PolicyField(current, vendorRate, value);
        return value;
    }

    private record PolicyField(Limits limits, Gcra rate, String value) {}

    private volatile PolicyField policyField;

    /**
     * What is left today of the bytes-out quota, or -1 when the vendor has none or may finish a
     * transfer that crosses it ({@code onQuotaExceeded: finish}).
     */
    public long bytesOutLeftToCut(Instant now) {
        Limits current = limits;
        if (current.bytesOutPerDay() <= 0 || current.onQuotaExceeded() != Limits.QuotaAction.CUT) {
            return -1;
        }
        return Math.max(0, current.bytesOutPerDay() - bytesOut(now));
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
     * This node's share of the vendor's fleet-wide request rate: requests taken from a local pool
     * that leases come back into. The pool may go one batch into debt while a lease is on its
     * way, so a quiet node does not refuse its first request; the next lease pays the debt, and a
     * lease that comes back short means the fleet is at the rate: requests wait until the bucket
     * has refilled what was missing.
     */
    private final class FleetRate {
        private final AtomicLong tokens = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean asking =
                new java.util.concurrent.atomic.AtomicBoolean();
        private volatile long dryUntilNanos = Long.MIN_VALUE;

        /** Takes {@code cost}; the wait in nanoseconds when the fleet has no more now, else 0. */
        long acquire(Gcra vendorRate, int cost, long nowNanos) {
            long batch = Math.max(1, Math.min(vendorRate.burst(), (long) Math.ceil(vendorRate.rate() / 10)));
            boolean dry = nowNanos < dryUntilNanos;
            long left = tokens.addAndGet(-cost);
            if (left < (dry ? 0 : -batch)) {
                tokens.addAndGet(cost);
                lease(vendorRate, batch);
                return dry ? dryUntilNanos - nowNanos : (long) (1e9 / vendorRate.rate());
            }
            if (left < batch / 2 + 1) {
                lease(vendorRate, batch);
            }
            return 0;
        }

        private void lease(Gcra vendorRate, long batch) {
            QuotaLeaser current = leaser;
            if (current == null || !asking.compareAndSet(false, true)) {
                return;
            }
            long want = batch + Math.max(0, -tokens.get());
            current.leaseRequests(vendor, want, vendorRate.rate(), vendorRate.burst())
                    .whenComplete((granted, error) -> {
                        // Redis away: this node keeps to its share of the rate, as if the fleet gave 1/n of each batch
                        long got = error != null ? Math.max(1, want / Math.max(1, current.fleetSize())) : granted;
                        tokens.addAndGet(got);
                        if (got < want) {
                            dryUntilNanos = System.nanoTime() + (long) ((want - got) * 1e9 / vendorRate.rate());
                        }
                        asking.set(false);
                    });
        }
    }

    /**
     * Why a request was refused by a rate limit.
     *
     * @param waitNanos time until the request would be allowed
     */
    public record Refusal(Kind kind, long waitNanos, double rate, int burst) {
        public enum Kind {
            VENDOR_RATE,
            CLIENT_RATE
        }

        public long retryAfterSeconds() {
            return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        }
    }
}
