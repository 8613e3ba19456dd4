package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.RateLimitHeaders;
import java.util.Set;

/**
 * One of the vendor's in-flight slots, taken last so that no refused request holds one. The
 * slot belongs to the request's {@link RequestLease}, which gives it back when the request ends.
 */
final class CapacityStage implements AdmissionStage {

    @Override
    public String name() {
        return "capacity";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        return takeSlot(request);
    }

    /** Takes an in-flight slot into the request's lease: null on success, else the refusal. */
    static Admission.Verdict takeSlot(AdmissionContext request) {
        if (request.lease.takeSlot(request.limiter)) {
            return null;
        }
        int max = request.limiter.limits().maxConcurrent();
        return new Admission.Verdict.Refused(
                ProblemType.TOO_MANY_IN_FLIGHT,
                "Vendor '" + request.vendor.id() + "' may have " + max + " requests in flight at once.",
                Set.of(),
                false,
                ProblemType.TOO_MANY_IN_FLIGHT.code(),
                RateLimitHeaders.inFlight(max));
    }
}
