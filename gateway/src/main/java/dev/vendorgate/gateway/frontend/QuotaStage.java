package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.RateLimitHeaders;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.Units;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;
import java.util.Set;

/**
 * The vendor's daily byte quotas: nothing more is sent to a vendor that used up its bytes-out
 * quota, and no request with a body is taken from one that used up its bytes-in quota.
 */
final class QuotaStage implements AdmissionStage {

    @Override
    public String name() {
        return "quota";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        VendorLimiter limiter = request.limiter;
        if (limiter.outExhausted(request.now)) {
            return refused(request, "bytes-out", "sent to", limiter.limits().bytesOutPerDay());
        }
        boolean body =
                HttpUtil.isTransferEncodingChunked(request.head) || HttpUtil.getContentLength(request.head, 0L) > 0;
        if (body && limiter.inExhausted(request.now)) {
            return refused(
                    request, "bytes-in", "received from", limiter.limits().bytesInPerDay());
        }
        return null;
    }

    private static Admission.Verdict refused(AdmissionContext request, String name, String direction, long limit) {
        Instant reset = request.limiter.quotaResetsAt(request.now);
        return new Admission.Verdict.Refused(
                ProblemType.QUOTA_EXCEEDED,
                "Vendor '" + request.vendor.id() + "' has used "
                        + "its daily quota of " + Units.human(limit) + " " + direction + " the vendor (" + name
                        + "); it resets at "
                        + reset + ".",
                Set.of(),
                false,
                ProblemType.QUOTA_EXCEEDED.code() + ":" + name,
                RateLimitHeaders.quota(name, limit, request.now, reset));
    }
}
