package dev.vendorgate.policy;

import java.util.Objects;

/**
 * What a vendor may consume. Zero means "not limited" (the field was left out of the policy;
 * the loader refuses an explicit zero so that nobody writes 0 meaning "nothing").
 *
 * @param requestsPerSecond sustained request rate for the whole vendor
 * @param burst requests allowed at once above the sustained rate
 * @param clientRequestsPerSecond sustained request rate for each client (certificate identity) of the vendor
 * @param clientBurst burst for each client
 * @param maxConcurrent requests of the vendor in flight at once
 * @param maxConnections open connections of the vendor at once
 * @param bytesOutPerDay bytes sent to the vendor per UTC day
 * @param bytesInPerDay bytes received from the vendor per UTC day
 * @param onQuotaExceeded what happens to a transfer that crosses a byte quota
 */
public record Limits(
        double requestsPerSecond,
        int burst,
        double clientRequestsPerSecond,
        int clientBurst,
        int maxConcurrent,
        int maxConnections,
        long bytesOutPerDay,
        long bytesInPerDay,
        QuotaAction onQuotaExceeded) {

    public static final Limits NONE = new Limits(0, 0, 0, 0, 0, 0, 0, 0, QuotaAction.CUT);

    public Limits {
        Objects.requireNonNull(onQuotaExceeded, "onQuotaExceeded");
    }

    /**
     * These limits with the rates, bursts and byte quotas scaled by {@code factor} (a vendor on
     * probation); a limit that is not set stays unset, one that is set stays at least 1.
     */
    public Limits scaled(double factor) {
        return new Limits(
                requestsPerSecond > 0 ? Math.max(0.01, requestsPerSecond * factor) : 0,
                burst > 0 ? Math.max(1, (int) Math.round(burst * factor)) : 0,
                clientRequestsPerSecond > 0 ? Math.max(0.01, clientRequestsPerSecond * factor) : 0,
                clientBurst > 0 ? Math.max(1, (int) Math.round(clientBurst * factor)) : 0,
                maxConcurrent,
                maxConnections,
                bytesOutPerDay > 0 ? Math.max(1, (long) (bytesOutPerDay * factor)) : 0,
                bytesInPerDay > 0 ? Math.max(1, (long) (bytesInPerDay * factor)) : 0,
                onQuotaExceeded);
    }

    /** What happens to a transfer in progress when it crosses a byte quota; the next request is refused either way. */
    public enum QuotaAction implements Worded {
        /** Cut it at the limit (within one buffer). */
        CUT("cut"),
        /** Let it finish. */
        FINISH("finish");

        private final String word;

        QuotaAction(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static QuotaAction fromWord(String word) {
            return Worded.fromWord(QuotaAction.class, word);
        }
    }
}
