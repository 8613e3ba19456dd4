package dev.vendorgate.gateway.limits;

import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.control.QuotaLeaser;
import dev.vendorgate.policy.Limits;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Vendor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every vendor's {@link VendorLimiter}, kept across policy reloads so that a reload neither
 * resets a quota nor forgets requests in flight. Keyed by vendor id (from the policy, never
 * from anything a client sends).
 */
public final class Limiters {

    private final Map<String, VendorLimiter> byVendor = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile QuotaLeaser leaser;

    public Limiters(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** Counts byte quotas across a fleet (cluster mode) from now on; null: this node alone. */
    public void leaser(QuotaLeaser next) {
        this.leaser = next;
        byVendor.values().forEach(limiter -> limiter.leaser(next));
    }

    /** What counts byte quotas across the fleet; null: this node alone. */
    public QuotaLeaser leaser() {
        return leaser;
    }

    /** Creates or updates the limiters of every vendor of {@code policy}; restores persisted usage once. */
    public void apply(Policy policy, ControlState control) {
        Instant now = clock.instant();
        for (Vendor vendor : policy.vendors()) {
            // a vendor on probation after a breach keeps only a share of its rates and quotas
            Limits limits = control.probation(vendor.id(), now).isPresent()
                    ? vendor.limits().scaled(policy.probationFactor())
                    : vendor.limits();
            VendorLimiter existing = byVendor.get(vendor.id());
            if (existing != null) {
                if (!existing.limits().equals(limits)) {
                    existing.update(limits);
                }
                continue;
            }
            VendorLimiter created = new VendorLimiter(vendor.id(), limits, clock);
            created.leaser(leaser);
            control.usage(vendor.id()).ifPresent(u -> created.restore(u.period(), u.bytesIn(), u.bytesOut(), now));
            created.changedSincePersisted(now);
            byVendor.put(vendor.id(), created);
        }
        byVendor.keySet().removeIf(id -> policy.vendor(id).isEmpty());
    }

    /** The vendor's limiter; vendors without limits get one that allows everything. */
    public VendorLimiter of(String vendor) {
        return byVendor.computeIfAbsent(vendor, v -> new VendorLimiter(v, Limits.NONE, clock));
    }

    /**
     * Usage changed since it was last persisted, as control changes to persist (called every few
     * seconds), for every vendor: a quota is kept across a restart, and so is the day's count of a
     * vendor without one.
     */
    public List<ControlChange.Usage> usageToPersist() {
        Instant now = clock.instant();
        List<ControlChange.Usage> changes = new ArrayList<>();
        byVendor.forEach((vendor, limiter) -> {
            // every vendor's, quota or not: what it was sent today is shown (ctl vendors) after a restart too
            if (limiter.changedSincePersisted(now)) {
                changes.add(new ControlChange.Usage(
                        vendor, limiter.periodStart(now), limiter.bytesIn(now), limiter.bytesOut(now), now));
            }
        });
        return changes;
    }
}
