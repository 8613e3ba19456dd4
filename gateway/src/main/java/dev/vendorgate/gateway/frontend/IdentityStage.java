package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.AccessDecision;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The vendor the client certificate maps to (decided again when the policy changed), not cut
 * off by a breach (a certificate issued before the vendor's cut-off and not re-enrolled), and
 * within the vendor's connection limit.
 */
final class IdentityStage implements AdmissionStage {

    private final GatewayState state;

    IdentityStage(GatewayState state) {
        this.state = state;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public Admission.Verdict check(AdmissionContext request) {
        VendorConnection connection = request.connection;
        request.vendor = connection.identify(state);
        request.entry()
                .identity(
                        request.vendor == null ? null : request.vendor.id(),
                        connection.peer().clientId(),
                        connection.peer().sha256());
        if (request.vendor == null) {
            AccessDecision.Deny refusal = connection.refusal();
            return new Admission.Verdict.Refused(ProblemType.of(refusal.reason()), refusal.detail(), Set.of(), true);
        }
        String vendor = request.vendor.id();
        request.entry().probation(state.control().probation(vendor, request.now).isPresent());
        Instant breach = state.control().credentialCutoff(vendor);
        // notBefore has whole seconds: a certificate from the cut-off's own second is taken as issued after it
        if (breach != null
                && connection.certificate().getNotBefore().toInstant().isBefore(breach.truncatedTo(ChronoUnit.SECONDS))
                && !state.control().enrolled(vendor, connection.peer().sha256())) {
            return new Admission.Verdict.Refused(
                    ProblemType.CREDENTIAL_CUT_OFF,
                    "This client certificate of vendor '"
                            + vendor + "' was issued before its credential cut-off (" + breach
                            + ") after a breach, and is "
                            + "refused for good: obtain a new certificate, issued after the cut-off, from the lab.",
                    Set.of(),
                    false);
        }
        request.limiter = state.limiters().of(vendor);
        if (connection.overConnectionLimit()) {
            return new Admission.Verdict.Refused(
                    ProblemType.TOO_MANY_CONNECTIONS,
                    "Vendor '" + vendor + "' may have "
                            + request.limiter.limits().maxConnections() + " connections open at once; reuse one.",
                    Set.of(),
                    true);
        }
        return null;
    }
}
