package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.Limits;
import dev.vendorgate.policy.Units;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;

/**
 * What one exchange may still move, counted on the bytes actually streamed (and, for a response,
 * checked against its declared length before the first byte): the route's request body limit and
 * the vendor's daily byte quotas each way. Confined to the exchange's event loop.
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

    /**
     * A response whose declared length is more than the vendor's bytes-out quota has left would be
     * cut in the middle: the refusal to answer before any byte instead (429 saying both numbers), or
     * null. A response of unknown length is still counted as it streams and cut where it crosses.
     */
    Crossing declaredOut(HttpResponse response, Instant now) {
        long length = HttpUtil.getContentLength(response, -1L);
        if (length <= 0 || request.head().method().equals(HttpMethod.HEAD)) {
            return null;
        }
        VendorLimiter limiter = request.limiter();
        long left = limiter.bytesOutLeftToCut(now);
        if (left < 0 || length <= left) {
            return null;
        }
        return new Crossing(
                ProblemType.QUOTA_EXCEEDED,
                "The response is " + Units.human(length) + " (" + length + " bytes) and "
                        + "vendor '" + request.vendor().id() + "' has " + Units.human(left) + " (" + left
                        + " bytes) left "
                        + "of its daily quota (bytes-out); it resets at " + limiter.quotaResetsAt(now) + ".",
                EndReason.QUOTA_BYTES_OUT);
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
