package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.RateLimitHeaders;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.DenyReason;
import java.util.Set;

/**
 * The client's and the vendor's request rates. Every request pays, refused ones too (a flood of
 * refusals is cut short here), the gateway's own endpoints included (a token costs a signature);
 * an allowed request pays its route's cost. The one exception: a suspended vendor is always
 * told it is suspended.
 */
final class RateStage implements AdmissionStage {

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        AccessDecision decision = request.decision;
        if (decision instanceof AccessDecision.Deny deny && deny.reason() == DenyReason.VENDOR_SUSPENDED) {
            return null;
        }
        int cost =
                decision instanceof AccessDecision.Allow allow ? allow.route().cost() : 1;
        return charge(request, cost);
    }

    /** Charges {@code cost} requests of the rates: null when both admit them, else the refusal. */
    static Admission.Verdict charge(AdmissionContext request, int cost) {
        VendorLimiter.Refusal rate =
                request.limiter.acquireRate(request.connection.peer().clientId(), cost, System.nanoTime());
        if (rate == null) {
            return null;
        }
        boolean client = rate.kind() == VendorLimiter.Refusal.Kind.CLIENT_RATE;
        return new Admission.Verdict.Refused(
                ProblemType.RATE_LIMITED,
                (client ? "This client" : "Vendor '" + request.vendor.id() + "'") + " may make " + rate.rate()
                        + " requests per second (bursts of "
                        + rate.burst() + "); retry after " + rate.retryAfterSeconds() + "s.",
                Set.of(),
                false,
                ProblemType.RATE_LIMITED.code(),
                RateLimitHeaders.rate(client ? "client" : "vendor", rate));
    }
}
