package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.Limits;

/**
 * What one exchange may still move, counted on the bytes actually streamed: the route's request
 * body limit and the vendor's daily byte quotas each way. Confined to the exchange's event loop.
 */
final class BodyBudget {

    /** A limit the last piece crossed: the problem to answer with, and the audit reason. */
    record Crossing(ProblemType type, String detail, EndReason reason) {}

    private final ExchangeRequest request;
    private long bytesIn;
    private long bytesOut;

    BodyBudget(ExchangeRequest request) {
        this.request = request;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    /** Counts a piece of request body; the limit it crossed, or null. */
    Crossing in(int size) {
        bytesIn += size;
        long max = request.route().maxBodyBytes();
        if (max > 0 && bytesIn > max) {
            return new Crossing(
                    ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body exceeds the " + max + " bytes allowed on route '"
                            + request.route().id() + "'.",
                    EndReason.PAYLOAD_TOO_LARGE);
        }
        VendorLimiter limiter = request.limiter();
        return size > 0 && limiter.countIn(size, limiter.now()) && cutsAtQuota()
                ? quota("bytes-in", EndReason.QUOTA_BYTES_IN)
                : null;
    }

    /** Counts a piece of response body; the quota it crossed, or null. */
    Crossing out(int size) {
        bytesOut += size;
        VendorLimiter limiter = request.limiter();
        return size > 0 && limiter.countOut(size, limiter.now()) && cutsAtQuota()
                ? quota("bytes-out", EndReason.QUOTA_BYTES_OUT)
                : null;
    }

    private boolean cutsAtQuota() {
        return request.limiter().limits().onQuotaExceeded() == Limits.QuotaAction.CUT;
    }

    private Crossing quota(String quota, EndReason reason) {
        return new Crossing(
                ProblemType.QUOTA_EXCEEDED,
                "The request crossed vendor '" + request.vendor().id() + "''s daily quota (" + quota
                        + "); it resets at midnight UTC.",
                reason);
    }
}
