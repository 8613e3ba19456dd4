package dev.vendorgate.gateway.control;

import java.util.concurrent.CompletableFuture;

/**
 * Where a fleet's byte quotas and request rates are counted (cluster mode): a node asks for a
 * share of a vendor's daily quota, or of its request rate, before its own count passes what it
 * was granted, so the fleet as a whole stays within the limit while every byte and request is
 * still counted locally, off any network round trip.
 */
public interface QuotaLeaser {

    /**
     * Asks for up to {@code want} more bytes of {@code vendor}'s daily quota in {@code direction}
     * ({@code out} or {@code in}), whose fleet-wide limit is {@code limit}.
     *
     * @return the bytes granted: fewer than asked, or 0, once the fleet has used the quota up;
     *     completes exceptionally when the shared store cannot be reached
     */
    CompletableFuture<Long> lease(String vendor, String direction, long want, long limit);

    /**
     * Takes up to {@code want} requests from {@code vendor}'s fleet-wide request rate: a token
     * bucket of {@code rate} per second holding at most {@code burst}, refilled on the shared
     * store's clock.
     *
     * @return the requests granted (fewer than asked: the fleet is at the rate for now); completes
     *     exceptionally when the shared store cannot be reached
     */
    CompletableFuture<Long> leaseRequests(String vendor, long want, double rate, int burst);

    /**
     * How many nodes the fleet had when it was last seen (at least 1): while the shared store
     * cannot be reached, each node keeps to this share of the limits.
     */
    default int fleetSize() {
        return 1;
    }
}
