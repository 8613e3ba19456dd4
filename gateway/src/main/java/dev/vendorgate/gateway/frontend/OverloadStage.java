package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.AccessDecision;
import java.util.Map;
import java.util.Set;

/**
 * The gateway as a whole at capacity (requests in flight at the listener's maximum, or the heap
 * under pressure): 503 with {@code Retry-After} for a request that would cost work, one of the
 * gateway's own endpoints or an allowed one. A request the policy refuses is told why instead
 * (that answer costs less than the 503).
 */
final class OverloadStage implements AdmissionStage {

    private final GatewayState state;
    private final int maxInFlight;

    OverloadStage(GatewayState state, int maxInFlight) {
        this.state = state;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public String name() {
        return "overload";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        if (request.local == null && !(request.decision instanceof AccessDecision.Allow)) {
            return null;
        }
        if (state.inFlight() >= maxInFlight || state.memoryPressure()) {
            return new Admission.Verdict.Refused(
                    ProblemType.OVERLOADED,
                    "The gateway is at capacity; retry shortly.",
                    Set.of(),
                    false,
                    ProblemType.OVERLOADED.code(),
                    Map.of("Retry-After", "1"));
        }
        return null;
    }
}
