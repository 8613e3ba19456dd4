package dev.vendorgate.gateway.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The signed statement of who called that each forwarded request carries to its upstream.
 *
 * <p>By default one assertion is made per caller: the same client certificate, token, scopes and
 * upstream get the same assertion until half its lifetime has passed (or the signing key changed),
 * so the ES256 signature (about 65 µs) is paid once per caller and period, not per request. It
 * names no request: the request id travels beside it in {@code X-Request-Id}. With
 * {@code mode: per-request} every request gets its own, naming it in {@code request_id}.
 * See docs/tokens.md for what an upstream can trust in each mode.
 */
final class UpstreamAssertions {

    static final JOSEObjectType TYPE = new JOSEObjectType("gateway-assertion+jwt");
    /** Callers remembered at once; beyond that the least recently used are signed again. */
    private static final int MAX_CALLERS = 10_000;

    /** Who called, as the upstream is told. */
    record Caller(
            String upstream, String vendor, String client, String certSha256, String tokenId, Set<String> scopes) {}

    private record Signed(String jwt, String keyId, Instant renewAt) {}

    private final String issuer;
    private final Duration ttl;
    private final boolean perRequest;
    private final TokenIssuer signer;
    private final Supplier<String> currentKeyId;
    private final Cache<Caller, Signed> cache;

    UpstreamAssertions(
            String issuer, Duration ttl, boolean perRequest, TokenIssuer signer, Supplier<String> currentKeyId) {
        this.issuer = issuer;
        this.ttl = ttl;
        this.perRequest = perRequest;
        this.signer = signer;
        this.currentKeyId = currentKeyId;
        this.cache = perRequest
                ? null
                : Caffeine.newBuilder().maximumSize(MAX_CALLERS).build();
    }

    String assertion(Caller caller, String requestId, Instant now) {
        if (perRequest) {
            return sign(caller, requestId, now);
        }
        String keyId = currentKeyId.get();
        Signed signed = cache.getIfPresent(caller);
        // renewed at half its lifetime: an upstream always gets one with at least half of it left
        if (signed == null
                || !now.isBefore(signed.renewAt())
                || !signed.keyId().equals(keyId)
                || now.isBefore(signed.renewAt().minus(ttl))) {
            signed = new Signed(sign(caller, null, now), keyId, now.plus(ttl.dividedBy(2)));
            cache.put(caller, signed);
        }
        return signed.jwt();
    }

    private String sign(Caller caller, String requestId, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(caller.upstream())
                .subject(caller.client())
                .claim("vendor", caller.vendor())
                .claim("scope", String.join(" ", new TreeSet<>(caller.scopes())))
                .claim("cnf", java.util.Map.of("x5t#S256", TokenIssuer.thumbprint(caller.certSha256())))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (caller.tokenId() != null) {
            claims.claim("token_id", caller.tokenId());
        }
        if (requestId != null) {
            claims.claim("request_id", requestId);
        }
        return signer.sign(claims.build(), TYPE);
    }
}
