package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.VendorStatus;
import java.util.Set;

/**
 * The canonical path (an ambiguous or invalid one is refused), and what it names: one of the
 * gateway's own endpoints, or the policy's decision for the vendor in its current status (the
 * policy's and the kill switch's, read on every request). Deciding is not refusing: a refusal
 * by the policy comes at the access stage, after the rate.
 */
final class PathStage implements AdmissionStage {

    private final GatewayState state;

    PathStage(GatewayState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "path";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        try {
            request.target = CanonicalTarget.parse(request.head.uri());
        } catch (CanonicalTarget.InvalidTargetException e) {
            // a refusal costs a request of the vendor's rate like any other: a flood of them is cut short at the rate
            Admission.Verdict limited = RateStage.charge(request, 1);
            return limited != null
                    ? limited
                    : new Admission.Verdict.Refused(ProblemType.INVALID_PATH, e.getMessage(), Set.of(), false);
        }
        String path = request.target.path();
        request.entry().path(path);
        String method = request.head.method().name();
        request.local = LocalEndpoints.match(method, path, request.snapshot);
        if (request.local != null) {
            request.entry().route(request.local.route(), null);
            return null;
        }
        VendorStatus status = state.control().effectiveStatus(request.vendor, request.now);
        request.decision = request.snapshot.access().decide(request.vendor, status, method, path);
        return null;
    }
}
