package dev.vendorgate.gateway.limits;

import java.util.concurrent.CompletableFuture;

/**
 * Where a fleet's byte quotas are counted (cluster mode): a node asks for a share of a vendor's
 * daily quota before its own count passes what it was granted, so the fleet as a whole moves no
 * more than the quota while each byte is still counted locally, off any network round trip.
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
}
