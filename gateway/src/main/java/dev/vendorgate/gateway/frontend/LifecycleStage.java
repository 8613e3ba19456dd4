package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.RequestHeadRules;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.HttpSettings;
import java.util.Set;

/**
 * The request head parsed and within the listener's limits, and the gateway able to take a
 * request: not shutting down, in touch with the fleet's control state (when it must be), and
 * able to record the request in the audit trail.
 */
final class LifecycleStage implements AdmissionStage {

    private final GatewayState state;
    private final HttpSettings http;

    LifecycleStage(GatewayState state, HttpSettings http) {
        this.state = state;
        this.http = http;
    }

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        if (!request.head.decoderResult().isSuccess()) {
            RequestHeadRules.Violation failed =
                    RequestHeadRules.decodingFailed(request.head.decoderResult().cause());
            return new Admission.Verdict.Refused(failed.type(), failed.detail(), Set.of(), true);
        }
        RequestHeadRules.Violation violation = RequestHeadRules.check(request.head, request.http2, http);
        if (violation != null) {
            return new Admission.Verdict.Refused(violation.type(), violation.detail(), Set.of(), true);
        }
        if (state.draining()) {
            return new Admission.Verdict.Refused(
                    ProblemType.SHUTTING_DOWN,
                    "The gateway is shutting down; retry on a " + "new connection.",
                    Set.of(),
                    true);
        }
        if (state.failClosed()) {
            return new Admission.Verdict.Refused(
                    ProblemType.CONTROL_UNREACHABLE,
                    "The gateway cannot reach the "
                            + "fleet's control state and is configured to refuse traffic until it can; retry shortly.",
                    Set.of(),
                    false);
        }
        if (state.audit() != null && !state.audit().accepting()) {
            return new Admission.Verdict.Refused(
                    ProblemType.AUDIT_UNAVAILABLE,
                    "Requests cannot be recorded right " + "now, so they are not served; retry shortly.",
                    Set.of(),
                    false);
        }
        return null;
    }
}
