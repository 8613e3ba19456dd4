package dev.vendorgate.policy;

/**
 * What a vendor may consume. Zero means "not limited" (the field was left out of the policy;
 * the loader refuses an explicit zero so that nobody writes 0 meaning "nothing").
 *
 * @param requestsPerSecond sustained request rate for the whole vendor
 * @param burst requests allowed at once above the sustained rate
 * @param maxConcurrent requests of the vendor in flight at once
 * @param maxConnections open connections of the vendor at once
 * @param bytesOutPerDay bytes sent to the vendor per UTC day
 * @param bytesInPerDay bytes received from the vendor per UTC day
 */
public record Limits(double requestsPerSecond, int burst, int maxConcurrent, int maxConnections, long bytesOutPerDay,
                     long bytesInPerDay) {

    public static final Limits NONE = new Limits(0, 0, 0, 0, 0, 0);
}
