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
import dev.vendorgate.gateway.token.TokenFailure;
import dev.vendorgate.gateway.token.TokenVerifier;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.gateway.token.VerifiedToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        record Refused(ProblemType type, String detail, Set<String> allow, boolean fatal, String reason,
                       Map<String, String> headers) implements Verdict {
            Refused(ProblemType type, String detail, Set<String> allow, boolean fatal) {
                this(type, detail, allow, fatal, type.code(), Map.of());
            }
        }

        record Admitted(ExchangeRequest request) implements Verdict {}

        /** A request the gateway answers itself (token endpoint, key set, metadata). */
        record Local(LocalEndpoints.Endpoint endpoint, Vendor vendor) implements Verdict {}
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
        LocalEndpoints.Endpoint local = LocalEndpoints.match(request.method().name(), target.path(), snapshot);
        if (local != null) {
            entry.route(local.route(), null);
            return new Verdict.Local(local, vendor);
        }
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
        Instant now = Instant.now();
        Set<String> scopes = Set.of();
        if (route.requiresToken()) {
            TokenVerifier.Result token = snapshot.tokens().orElseThrow().verifier().check(
                    request.headers().get(HttpHeaderNames.AUTHORIZATION), connection.thumbprint(), vendor.id(), now,
                    state.control());
            if (token instanceof TokenVerifier.Result.Invalid invalid) {
                return tokenRefused(invalid.failure(), snapshot);
            }
            VerifiedToken verified = ((TokenVerifier.Result.Valid) token).token();
            entry.token(verified.jti());
            List<String> needed = route.scopesFor(request.method().name());
            if (!verified.scopes().containsAll(needed)) {
                String scope = String.join(" ", needed);
                return new Verdict.Refused(ProblemType.INSUFFICIENT_SCOPE, "This request needs the scope(s) " + scope
                        + "; ask the token endpoint for them.", Set.of(), false, ProblemType.INSUFFICIENT_SCOPE.code(),
                        Map.of("WWW-Authenticate", "Bearer realm=\"vendorgate\", error=\"insufficient_scope\", "
                                + "scope=\"" + scope + "\""));
            }
            scopes = verified.scopes();
        }
        UpstreamTarget upstream = snapshot.upstreams().get(route.upstream());
        ExchangeRequest.Assertion assertion = null;
        if (snapshot.tokens().isPresent() && snapshot.tokens().get().assertionHeader().isPresent()) {
            Tokens tokens = snapshot.tokens().get();
            assertion = new ExchangeRequest.Assertion(tokens.assertionHeader().get(), tokens.assertion(route.upstream(),
                    vendor.id(), connection.peer().clientId(), scopes, requestId, now));
        }
        return new Verdict.Admitted(new ExchangeRequest(requestId, request, target, vendor,
                connection.peer().clientId(), connection.peer().sha256(), connection.remote(), route, upstream, http2,
                assertion));
    }

    private static Verdict tokenRefused(TokenFailure failure, GatewaySnapshot snapshot) {
        if (failure == TokenFailure.MISSING) {
            return new Verdict.Refused(ProblemType.TOKEN_REQUIRED, failure.description() + " Get one from "
                    + snapshot.tokens().get().spec().issuer() + "/oauth2/token with this client certificate.",
                    Set.of(), false, failure.code(), Map.of("WWW-Authenticate", "Bearer realm=\"vendorgate\""));
        }
        return new Verdict.Refused(ProblemType.INVALID_TOKEN, failure.description(), Set.of(), false, failure.code(),
                Map.of("WWW-Authenticate", "Bearer realm=\"vendorgate\", error=\"invalid_token\", error_description=\""
                        + failure.description() + "\""));
    }
}
