package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.RequestHeadRules;
import dev.vendorgate.gateway.http.TrailerRules;
import dev.vendorgate.gateway.proxy.ExchangeRequest;
import dev.vendorgate.gateway.proxy.UpstreamTarget;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.gateway.tripwire.TripwireWatch;
import dev.vendorgate.policy.HttpSettings;
import dev.vendorgate.policy.Vendor;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether one vendor request may be forwarded, by running its {@link AdmissionStage}s in
 * order; the first that answers ends admission. The order is the list in {@link #standard}: it is
 * data, and each stage can be tested alone. Returns a value; the handler does the I/O, and what
 * the request holds (its in-flight slot, its audit entry) is in its {@link RequestLease}.
 */
final class Admission {

    /** The outcome for one request. */
    sealed interface Verdict {
        /**
         * @param fatal the connection cannot carry another request (identity or protocol failure)
         */
        record Refused(
                ProblemType type,
                String detail,
                Set<String> allow,
                boolean fatal,
                String reason,
                Map<String, String> headers)
                implements Verdict {
            Refused(ProblemType type, String detail, Set<String> allow, boolean fatal) {
                this(type, detail, allow, fatal, type.code(), Map.of());
            }
        }

        record Admitted(ExchangeRequest request) implements Verdict {}

        /**
         * A request the gateway answers itself (token endpoint, key set, metadata); its lease holds
         * one of the vendor's in-flight slots until it is answered.
         */
        record Local(LocalEndpoints.Endpoint endpoint, Vendor vendor) implements Verdict {}
    }

    private final GatewayState state;
    private final HttpSettings http;
    private final List<AdmissionStage> stages;
    private final TripwireWatch tripwires;

    Admission(GatewayState state, HttpSettings http, TripwireWatch tripwires) {
        this(state, http, tripwires, standard(state, http));
    }

    Admission(GatewayState state, HttpSettings http, TripwireWatch tripwires, List<AdmissionStage> stages) {
        this.state = Objects.requireNonNull(state, "state");
        this.http = Objects.requireNonNull(http, "http");
        this.tripwires = Objects.requireNonNull(tripwires, "tripwires");
        this.stages = List.copyOf(stages);
    }

    /** The tripwires the requests of this listener report to (canary checks, baseline counts). */
    TripwireWatch tripwires() {
        return tripwires;
    }

    /**
     * The stages every vendor request passes, in order. What is cheap and says who is asking comes
     * first; every request, refused or not, pays the rate before the policy's answer; the in-flight
     * slot is taken last, so a refused request never holds one.
     */
    static List<AdmissionStage> standard(GatewayState state, HttpSettings http) {
        return List.of(
                new LifecycleStage(state, http), // parsed, within limits; gateway up, fleet and audit reachable
                new IdentityStage(state), // certificate -> vendor; breach cut-off; connection limit
                new PathStage(state), // canonical path; local endpoint or the policy's decision
                new RateStage(), // client and vendor rates, refusals included
                new OverloadStage(state, http.maxInFlight()),
                new LocalEndpointStage(), // token, keys, metadata: answered by the gateway
                new AccessStage(state), // the decision: route and grant, or why not
                new TokenStage(state), // bound token, scopes
                new BodySizeStage(), // declared body within the route's limit
                new QuotaStage(), // daily byte quotas
                new CapacityStage()); // the vendor's in-flight slot
    }

    /** The stages' names, in order. */
    List<String> stageNames() {
        return stages.stream().map(AdmissionStage::name).toList();
    }

    /** How long a request body may make no progress: the listener's idle timeout. */
    Duration bodyTimeout() {
        return http.idleTimeout();
    }

    Verdict admit(HttpRequest head, String requestId, VendorConnection connection, boolean http2, RequestLease lease) {
        AdmissionContext request = new AdmissionContext(
                head,
                requestId,
                connection,
                http2,
                lease,
                state.snapshot(),
                state.clock().instant());
        for (AdmissionStage stage : stages) {
            Verdict verdict = stage.check(request);
            if (verdict != null) {
                return verdict;
            }
        }
        return new Verdict.Admitted(forward(request));
    }

    /** What the proxy needs to forward an admitted request, with the upstream's identity assertion. */
    private static ExchangeRequest forward(AdmissionContext request) {
        VendorConnection connection = request.connection;
        String upstreamId = request.route.upstream();
        UpstreamTarget upstream = request.snapshot.upstreams().get(upstreamId);
        ExchangeRequest.Assertion assertion = null;
        Tokens tokens = request.snapshot.tokens().orElse(null);
        if (tokens != null && tokens.assertionHeader().isPresent()) {
            assertion = new ExchangeRequest.Assertion(
                    tokens.assertionHeader().get(),
                    tokens.assertion(
                            upstreamId,
                            request.vendor.id(),
                            connection.peer().clientId(),
                            connection.peer().sha256(),
                            request.tokenId,
                            request.scopes,
                            request.requestId,
                            request.now));
        }
        return new ExchangeRequest(
                request.requestId,
                request.head,
                request.target,
                request.vendor,
                connection.peer().clientId(),
                connection.peer().sha256(),
                connection.remote(),
                request.route,
                upstream,
                request.http2,
                assertion,
                request.limiter,
                request.route.forwardClientCert() ? connection.clientCertField() : null);
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
}
