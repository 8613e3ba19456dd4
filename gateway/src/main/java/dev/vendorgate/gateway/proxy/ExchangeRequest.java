package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.Vendor;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Everything decided about a request before it is forwarded: who sent it, what it asks for,
 * which route allowed it and where it goes.
 *
 * @param requestId the gateway's id for this request
 * @param head the request head as received (headers not yet cleaned)
 * @param target the canonical target
 * @param vendor the verified vendor
 * @param clientId the verified client id
 * @param certSha256 the client certificate's SHA-256
 * @param remote the vendor's address
 * @param route the route that allowed the request
 * @param upstream where it goes
 * @param http2 whether the vendor speaks HTTP/2 on this connection
 * @param assertion the signed identity assertion for the upstream, or null
 * @param limiter the vendor's limits: bytes are counted against its quotas as they stream
 * @param clientCert the verified client certificate as an RFC 9440 {@code Client-Cert} value, when
 *     the route forwards it to the upstream, else null
 */
public record ExchangeRequest(
        String requestId,
        HttpRequest head,
        CanonicalTarget target,
        Vendor vendor,
        String clientId,
        String certSha256,
        SocketAddress remote,
        Route route,
        UpstreamTarget upstream,
        boolean http2,
        Assertion assertion,
        VendorLimiter limiter,
        String clientCert) {

    /** A header carrying a signed statement of who called, for the upstream. */
    public record Assertion(String header, String value) {}

    public ExchangeRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(upstream, "upstream");
    }
}
