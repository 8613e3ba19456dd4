package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.limits.ByteSizes;
import dev.vendorgate.gateway.limits.RateLimitHeaders;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.gateway.proxy.ExchangeRequest;
import dev.vendorgate.gateway.proxy.UpstreamTarget;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.HttpSettings;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import dev.vendorgate.gateway.http.RequestHeadRules;
import dev.vendorgate.gateway.http.TrailerRules;
import dev.vendorgate.gateway.token.TokenFailure;
import dev.vendorgate.gateway.token.TokenVerifier;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.gateway.token.VerifiedToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
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

        /**
         * A request the gateway answers itself (token endpoint, key set, metadata), holding one of
         * the vendor's in-flight slots until {@link LocalRequest#release}.
         */
        record Local(LocalEndpoints.Endpoint endpoint, Vendor vendor, VendorLimiter limiter) implements Verdict {}
    }

    private final GatewayState state;
    private final HttpSettings http;
    private final int maxInFlight;

    Admission(GatewayState state, HttpSettings http) {
        this.state = state;
        this.http = http;
        this.maxInFlight = http.maxInFlight();
    }

    /** How long a request body may make no progress: the listener's idle timeout. */
    java.time.Duration bodyTimeout() {
        return http.idleTimeout();
    }

    Verdict admit(HttpRequest request, String requestId, VendorConnection connection, boolean http2, AuditEntry entry) {
        if (!request.decoderResult().isSuccess()) {
            RequestHeadRules.Violation failed = RequestHeadRules.decodingFailed(request.decoderResult().cause());
            return new Verdict.Refused(failed.type(), failed.detail(), Set.of(), true);
        }
        RequestHeadRules.Violation violation = RequestHeadRules.check(request, http2, http);
        if (violation != null) {
            return new Verdict.Refused(violation.type(), violation.detail(), Set.of(), true);
        }
        if (state.draining()) {
            return new Verdict.Refused(ProblemType.SHUTTING_DOWN, "The gateway is shutting down; retry on a new "
                    + "connection.", Set.of(), true);
        }
        if (state.failClosed()) {
            return new Verdict.Refused(ProblemType.CONTROL_UNREACHABLE, "The gateway cannot reach the fleet's "
                    + "control state and is configured to refuse traffic until it can; retry shortly.", Set.of(), false);
        }
        if (state.audit() != null && !state.audit().accepting()) {
            return new Verdict.Refused(ProblemType.AUDIT_UNAVAILABLE, "Requests cannot be recorded right now, so "
                    + "they are not served; retry shortly.", Set.of(), false);
        }
        GatewaySnapshot snapshot = state.snapshot();
        Vendor vendor = connection.identify(state);
        entry.identity(vendor == null ? null : vendor.id(), connection.peer().clientId(), connection.peer().sha256());
        if (vendor == null) {
            AccessDecision.Deny refusal = connection.refusal();
            return new Verdict.Refused(ProblemType.of(refusal.reason()), refusal.detail(), Set.of(), true);
        }
        Instant breach = state.control().credentialCutoff(vendor.id());
        // notBefore has whole seconds: a certificate from the cut-off's own second is taken as issued after it
        if (breach != null && connection.certificate().getNotBefore().toInstant().isBefore(
                breach.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                && !state.control().enrolled(vendor.id(), connection.peer().sha256())) {
            return new Verdict.Refused(ProblemType.CREDENTIAL_CUT_OFF, "This client certificate of vendor '"
                    + vendor.id() + "' was issued before its credential cut-off (" + breach + ") after a breach, and "
                    + "is refused for good: obtain a new certificate, issued after the cut-off, from the lab.",
                    Set.of(), false);
        }
        VendorLimiter limiter = state.limiters().of(vendor.id());
        if (connection.overConnectionLimit()) {
            return new Verdict.Refused(ProblemType.TOO_MANY_CONNECTIONS, "Vendor '" + vendor.id() + "' may have "
                    + limiter.limits().maxConnections() + " connections open at once; reuse one.", Set.of(), true);
        }
        CanonicalTarget target;
        try {
            target = CanonicalTarget.parse(request.uri());
        } catch (CanonicalTarget.InvalidTargetException e) {
            // a refusal costs a request of the vendor's rate like any other: a flood of them is cut short at the rate
            Verdict limited = rate(limiter, vendor, connection, 1);
            return limited != null ? limited
                    : new Verdict.Refused(ProblemType.INVALID_PATH, e.getMessage(), Set.of(), false);
        }
        entry.path(target.path());
        LocalEndpoints.Endpoint local = LocalEndpoints.match(request.method().name(), target.path(), snapshot);
        if (local != null) {
            // the gateway's own endpoints cost a signature and an audit record each: the same rate and in-flight
            // limits as any request (not the byte quotas, so a vendor at its quota can still get a token)
            entry.route(local.route(), null);
            Verdict limited = rate(limiter, vendor, connection, 1);
            if (limited == null) {
                limited = capacity(limiter, vendor);
            }
            return limited != null ? limited : new Verdict.Local(local, vendor, limiter);
        }
        VendorStatus status = state.control().effectiveStatus(vendor, state.clock().instant());
        AccessDecision decision = snapshot.access().decide(vendor, status, request.method().name(), target.path());
        if (decision instanceof AccessDecision.Deny deny && deny.reason() == dev.vendorgate.policy.DenyReason.VENDOR_READ_ONLY
                && state.control().probation(vendor.id(), state.clock().instant()).isPresent()) {
            return new Verdict.Refused(ProblemType.PROBATION, "Vendor '" + vendor.id() + "' is on probation after a "
                    + "breach: it may read (GET, HEAD, OPTIONS) but not write, until the lab ends the probation.",
                    Set.of("GET", "HEAD", "OPTIONS"), false);
        }
        if (decision instanceof AccessDecision.Deny deny) {
            // refusals cost a request of the rate like any other (a suspended vendor is always told it is suspended)
            Verdict limited = deny.reason() == dev.vendorgate.policy.DenyReason.VENDOR_SUSPENDED ? null
                    : rate(limiter, vendor, connection, 1);
            return limited != null ? limited
                    : new Verdict.Refused(ProblemType.of(deny.reason()), deny.detail(), deny.allowedMethods(), false);
        }
        Route route = ((AccessDecision.Allow) decision).route();
        entry.route(route.id(), route.upstream());
        Verdict limited = rate(limiter, vendor, connection, route.cost());
        if (limited != null) {
            return limited;
        }
        long length = HttpUtil.getContentLength(request, -1L);
        if (route.maxBodyBytes() > 0 && length > route.maxBodyBytes()) {
            return new Verdict.Refused(ProblemType.PAYLOAD_TOO_LARGE, "The request body exceeds the "
                    + route.maxBodyBytes() + " bytes allowed on route '" + route.id() + "'.", Set.of(), false);
        }
        Instant now = state.clock().instant();
        Set<String> scopes = Set.of();
        if (route.requiresToken()) {
            TokenVerifier.Result token = snapshot.tokens().orElseThrow().verifier().check(
                    request.headers().get(HttpHeaderNames.AUTHORIZATION), connection.thumbprint(), vendor.id(), now,
                    state.control());
            if (token instanceof TokenVerifier.Result.Invalid invalid) {
                state.metrics().tokenChecked(invalid.failure().code());
                return tokenRefused(invalid.failure(), snapshot);
            }
            state.metrics().tokenChecked("valid");
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
        Verdict refusedByLimits = limits(limiter, vendor, request, now);
        if (refusedByLimits != null) {
            return refusedByLimits;
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
                assertion, limiter, route.forwardClientCert() ? connection.clientCertField() : null));
    }

    /**
     * Checks the trailers that end a request's body, as the head was checked: the same limits,
     * and no field a trailer must not carry (see {@link TrailerRules}).
     *
     * @return the violation, or null when the trailers may be forwarded
     */
    RequestHeadRules.Violation checkTrailers(HttpHeaders trailers) {
        return TrailerRules.checkRequest(trailers, http);
    }

    /** The client's and the vendor's request rates, or null when both admit the request. */
    private static Verdict rate(VendorLimiter limiter, Vendor vendor, VendorConnection connection, int cost) {
        VendorLimiter.Refusal rate = limiter.acquireRate(connection.peer().clientId(), cost, System.nanoTime());
        if (rate == null) {
            return null;
        }
        boolean client = rate.kind() == VendorLimiter.Refusal.Kind.CLIENT_RATE;
        return new Verdict.Refused(ProblemType.RATE_LIMITED, (client ? "This client" : "Vendor '" + vendor.id() + "'")
                + " may make " + rate.rate() + " requests per second (bursts of " + rate.burst() + "); retry after "
                + rate.retryAfterSeconds() + "s.", Set.of(), false, ProblemType.RATE_LIMITED.code(),
                RateLimitHeaders.rate(client ? "client" : "vendor", rate));
    }

    /**
     * The gateway's and the vendor's capacity: overload and requests in flight. On success the
     * vendor holds an in-flight slot, released when the request ends.
     */
    private Verdict capacity(VendorLimiter limiter, Vendor vendor) {
        if (state.inFlight() >= maxInFlight || state.memoryPressure()) {
            return new Verdict.Refused(ProblemType.OVERLOADED, "The gateway is at capacity; retry shortly.", Set.of(),
                    false, ProblemType.OVERLOADED.code(), Map.of("Retry-After", "1"));
        }
        if (!limiter.acquireInFlight()) {
            int max = limiter.limits().maxConcurrent();
            return new Verdict.Refused(ProblemType.TOO_MANY_IN_FLIGHT, "Vendor '" + vendor.id() + "' may have " + max
                    + " requests in flight at once.", Set.of(), false, ProblemType.TOO_MANY_IN_FLIGHT.code(),
                    RateLimitHeaders.inFlight(max));
        }
        return null;
    }

    /**
     * The vendor's byte quotas, then {@link #capacity}. On success the vendor holds an in-flight
     * slot, released when the exchange ends.
     */
    private Verdict limits(VendorLimiter limiter, Vendor vendor, HttpRequest request, Instant now) {
        if (limiter.outExhausted(now)) {
            return quotaRefused(vendor, "bytes-out", "sent to", limiter.limits().bytesOutPerDay(), limiter, now);
        }
        boolean body = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        if (body && limiter.inExhausted(now)) {
            return quotaRefused(vendor, "bytes-in", "received from", limiter.limits().bytesInPerDay(), limiter, now);
        }
        return capacity(limiter, vendor);
    }

    private static Verdict quotaRefused(Vendor vendor, String name, String direction, long limit, VendorLimiter limiter,
                                        Instant now) {
        Instant reset = limiter.quotaResetsAt(now);
        return new Verdict.Refused(ProblemType.QUOTA_EXCEEDED, "Vendor '" + vendor.id() + "' has used its daily quota of "
                + ByteSizes.human(limit) + " " + direction + " the vendor (" + name + "); it resets at " + reset + ".", Set.of(),
                false, ProblemType.QUOTA_EXCEEDED.code() + ":" + name, RateLimitHeaders.quota(name, limit, now, reset));
    }

    private static Verdict tokenRefused(TokenFailure failure, GatewaySnapshot snapshot) {
        if (failure == TokenFailure.CUT_OFF) {
            return new Verdict.Refused(ProblemType.CREDENTIAL_CUT_OFF, failure.description() + " Get a new token with "
                    + "a certificate issued after the cut-off.", Set.of(), false);
        }
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
