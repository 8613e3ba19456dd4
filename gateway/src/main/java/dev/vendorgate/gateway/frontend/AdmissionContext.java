package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.Vendor;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Instant;
import java.util.Set;

/**
 * One request on its way through the {@link AdmissionStage}s: what it is, and what each stage
 * found out about it for the next ones (the vendor, the canonical path, the route, the token's
 * scopes). Confined to the request's event loop; lives as long as admission.
 */
final class AdmissionContext {

    final HttpRequest head;
    final String requestId;
    final VendorConnection connection;
    final boolean http2;
    final RequestLease lease;
    /** The policy in force when the request arrived: every stage decides with the same one. */
    final GatewaySnapshot snapshot;
    /** The gateway's clock when the request arrived. */
    final Instant now;

    /** Set by the identity stage. */
    Vendor vendor;

    VendorLimiter limiter;
    /** Set by the path stage: the canonical target and what it names (one of the two below). */
    CanonicalTarget target;

    LocalEndpoints.Endpoint local;
    AccessDecision decision;
    /** Set by the access stage when a route allows the request. */
    Route route;
    /** Set by the token stage: the scopes the request's token grants (empty when the route needs none). */
    Set<String> scopes = Set.of();
    /** Set by the token stage: the id of the token the request carries, or null. */
    String tokenId;

    AdmissionContext(
            HttpRequest head,
            String requestId,
            VendorConnection connection,
            boolean http2,
            RequestLease lease,
            GatewaySnapshot snapshot,
            Instant now) {
        this.head = head;
        this.requestId = requestId;
        this.connection = connection;
        this.http2 = http2;
        this.lease = lease;
        this.snapshot = snapshot;
        this.now = now;
    }

    AuditEntry entry() {
        return lease.entry();
    }
}
