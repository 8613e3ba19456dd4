package dev.vendorgate.gateway.control;

import dev.vendorgate.policy.Worded;
import java.time.Instant;
import java.util.Objects;

/**
 * One durable change to the gateway's runtime control state. Changes are journaled before they
 * take effect and replayed at start, so what an operator did survives a restart.
 */
public sealed interface ControlChange {

    /** The vendor id a change about "every vendor" (the global switch) uses. */
    String EVERY_VENDOR = "*";

    /** When the change was made. */
    Instant at();

    /**
     * A vendor (or {@link #EVERY_VENDOR}) is suspended, or restricted to reading.
     *
     * @param until when the suspension ends by itself, or null
     * @param readOnly restrict to safe methods instead of refusing everything
     */
    record Suspend(
            String vendor,
            Instant at,
            String operator,
            String reason,
            Instant until,
            SuspendMode mode,
            boolean readOnly)
            implements ControlChange {
        public Suspend {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /**
     * After a breach: every client certificate of the vendor issued ({@code notBefore}) before
     * {@code cutoff}, and every token issued before it, is refused for good, unless the
     * certificate is enrolled again after this change ({@link Enroll}).
     *
     * @param cutoff the time of the breach suspension, or when the vendor says it was compromised
     * @param at when the cut-off was recorded
     */
    record Cutoff(String vendor, Instant cutoff, Instant at, String operator, String reason) implements ControlChange {
        public Cutoff {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(cutoff, "cutoff");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** One certificate of the vendor (by SHA-256) is admitted despite a cut-off made before this change. */
    record Enroll(String vendor, String sha256, Instant at, String operator, String reason) implements ControlChange {
        public Enroll {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A vendor resumed after a breach is on probation: read-only, its limits scaled, until an
     * operator other than {@code operator} ends it or {@code until} passes.
     */
    record Probation(String vendor, Instant at, String operator, String reason, Instant until)
            implements ControlChange {
        public Probation {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A vendor's probation ends: full access again. */
    record EndProbation(String vendor, Instant at, String operator, String reason) implements ControlChange {
        public EndProbation {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A vendor (or {@link #EVERY_VENDOR}) is resumed. */
    record Resume(String vendor, Instant at, String operator, String reason) implements ControlChange {
        public Resume {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Tokens matching the scope are revoked: one token id, every token of one client issued
     * before {@code at}, every token of a vendor issued before {@code at}, or every token signed
     * with one key.
     *
     * @param kind what {@code subject} names
     * @param subject a token id, a client id or a vendor id
     * @param expires when the revocation may be forgotten (the token's expiry), or null to keep
     */
    record Revoke(RevocationKind kind, String subject, Instant at, String operator, String reason, Instant expires)
            implements ControlChange {
        public Revoke {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A vendor's byte usage for one quota period so far (absolute values, so replay is idempotent).
     *
     * @param period the period's start
     */
    record Usage(String vendor, Instant period, long bytesIn, long bytesOut, Instant at) implements ControlChange {
        public Usage {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(at, "at");
        }
    }

    /** What a revocation names. */
    enum RevocationKind implements Worded {
        TOKEN("token"),
        CLIENT("client"),
        VENDOR("vendor"),
        /** Every token signed with one of the gateway's keys (by {@code kid}): the key is retired at once. */
        KEY("key");

        private final String word;

        RevocationKind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static RevocationKind fromWord(String word) {
            return Worded.fromWord(RevocationKind.class, word);
        }
    }
}
