package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.policy.Tripwires;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One trip of a tripwire: which vendor, which rule ({@code canary} or a baseline rule's id),
 * what it does, and the figures that tripped it.
 *
 * @param outcome what became of it: {@code suspended}, {@code alerted}, {@code already-suspended}
 *     or {@code failed: ...} while the action runs or after
 */
public record Trip(
        String id,
        String vendor,
        String rule,
        String kind,
        Tripwires.Action action,
        String reason,
        Map<String, String> figures,
        Instant at,
        String outcome) {

    public Trip {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(rule, "rule");
        figures = Map.copyOf(figures);
    }

    /** The operator a suspension by this trip is recorded under. */
    public String operator() {
        return "tripwire:" + rule;
    }

    Trip withOutcome(String next) {
        return new Trip(id, vendor, rule, kind, action, reason, figures, at, next);
    }
}
