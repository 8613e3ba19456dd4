package dev.vendorgate.gateway.vendor;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.proxy.ExchangeRequest;
import dev.vendorgate.gateway.proxy.UpstreamTarget;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;
import java.util.Set;

/**
 * Decides whether one vendor request may be forwarded, checking in order: the request parsed,
 * the gateway is not stopping, the audit trail can record it, the certificate's vendor, the
 * canonical path, the vendor's status (policy and kill switch, checked on every request), the
 * route and its grant, the body size. Returns a value; the handler does the I/O.
 */
final class Admission {

    /** The outcome for one request. */
    sealed interface Verdict {
        /**
         * @param fatal the connection cannot carry another request (identity or protocol failure)
         */
        record Refused(ProblemType type, String detail, Set<String> allow, boolean fatal) implements Verdict {}

        record Admitted(ExchangeRequest request) implements Verdict {}
    }

    private final GatewayState state;

    Admission(GatewayState state) {
        this.state = state;
    }

    Verdict admit(HttpRequest request, String requestId, VendorConnection connection, boolean http2, AuditEntry entry) {
        if (!request.decoderResult().isSuccess()) {
            return new Verdict.Refused(ProblemType.BAD_REQUEST, "The request could not be parsed.", Set.of(), true);
        }
        if (state.draining()) {
            return new Verdict.Refused(ProblemType.SHUTTING_DOWN, "The gateway is shutting down; retry on a new "
                    + "connection.", Set.of(), true);
        }
        if (state.audit() != null && !state.audit().accepting()) {
            return new Verdict.Refused(ProblemType.AUDIT_UNAVAILABLE, "Requests cannot be recorded right now, so "
                    + "they are not served; retry shortly.", Set.of(), false);
        }
        GatewaySnapshot snapshot = state.snapshot();
        Vendor vendor = connection.identify(snapshot);
        entry.identity(vendor == null ? null : vendor.id(), connection.peer().clientId(), connection.peer().sha256());
        if (vendor == null) {
            AccessDecision.Deny refusal = connection.refusal();
            return new Verdict.Refused(ProblemType.of(refusal.reason()), refusal.detail(), Set.of(), true);
        }
        CanonicalTarget target;
        try {
            target = CanonicalTarget.parse(request.uri());
        } catch (CanonicalTarget.InvalidTargetException e) {
            return new Verdict.Refused(ProblemType.INVALID_PATH, e.getMessage(), Set.of(), false);
        }
        entry.path(target.path());
        VendorStatus status = state.control().effectiveStatus(vendor, Instant.now());
        AccessDecision decision = snapshot.access().decide(vendor, status, request.method().name(), target.path());
        if (decision instanceof AccessDecision.Deny deny) {
            return new Verdict.Refused(ProblemType.of(deny.reason()), deny.detail(), deny.allowedMethods(), false);
        }
        Route route = ((AccessDecision.Allow) decision).route();
        entry.route(route.id(), route.upstream());
        long length = HttpUtil.getContentLength(request, -1L);
        if (route.maxBodyBytes() > 0 && length > route.maxBodyBytes()) {
            return new Verdict.Refused(ProblemType.PAYLOAD_TOO_LARGE, "The request body exceeds the "
                    + route.maxBodyBytes() + " bytes allowed on route '" + route.id() + "'.", Set.of(), false);
        }
        UpstreamTarget upstream = snapshot.upstreams().get(route.upstream());
        return new Verdict.Admitted(new ExchangeRequest(requestId, request, target, vendor,
                connection.peer().clientId(), connection.peer().sha256(), connection.remote(), route, upstream, http2));
    }
}
