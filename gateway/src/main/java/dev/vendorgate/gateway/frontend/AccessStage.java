package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.DenyReason;
import java.util.Set;

/**
 * The policy's decision made at the path stage: a route that grants the vendor this method on
 * this path, or a refusal (suspended, read-only, on probation after a breach, no such route,
 * method or grant).
 */
final class AccessStage implements AdmissionStage {

    private final GatewayState state;

    AccessStage(GatewayState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "access";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        if (request.decision instanceof AccessDecision.Allow allow) {
            request.route = allow.route();
            request.entry().route(request.route.id(), request.route.upstream());
            return null;
        }
        AccessDecision.Deny deny = (AccessDecision.Deny) request.decision;
        if (deny.reason() == DenyReason.VENDOR_READ_ONLY
                && state.control().probation(request.vendor.id(), request.now).isPresent()) {
            return new Admission.Verdict.Refused(
                    ProblemType.PROBATION,
                    "Vendor '" + request.vendor.id() + "' is on "
                            + "probation after a breach: it may read (GET, HEAD, OPTIONS) but not write, until the lab ends the "
                            + "probation.",
                    Set.of("GET", "HEAD", "OPTIONS"),
                    false);
        }
        return new Admission.Verdict.Refused(
                ProblemType.of(deny.reason()), deny.detail(), deny.allowedMethods(), false);
    }
}
