package dev.vendorgate.gateway.control;

import java.time.Instant;
import java.util.Objects;

/**
 * A suspension in force (or expired, if {@link #until} has passed).
 *
 * @param vendor the vendor id, or {@link ControlChange#EVERY_VENDOR}
 * @param since when it was made
 * @param operator who made it
 * @param reason why
 * @param until when it ends by itself, or null
 * @param mode what it did to open connections
 * @param readOnly whether it only restricts the vendor to safe methods
 */
public record Suspension(
        String vendor,
        Instant since,
        String operator,
        String reason,
        Instant until,
        SuspendMode mode,
        boolean readOnly) {

    public Suspension {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(since, "since");
    }

    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    public static Suspension of(ControlChange.Suspend change) {
        return new Suspension(
                change.vendor(),
                change.at(),
                change.operator(),
                change.reason(),
                change.until(),
                change.mode(),
                change.readOnly());
    }

    ControlChange.Suspend toChange() {
        return new ControlChange.Suspend(vendor, since, operator, reason, until, mode, readOnly);
    }
}
