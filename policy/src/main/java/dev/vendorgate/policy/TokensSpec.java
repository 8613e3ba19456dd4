package dev.vendorgate.policy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway as an OAuth 2.0 token issuer for vendors, and which other issuers it trusts.
 *
 * @param issuer the {@code iss} of tokens the gateway issues, and its public base URL
 * @param audience the {@code aud} tokens must carry
 * @param ttl lifetime of issued tokens
 * @param clockSkew tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param signingKeys folder of the signing keys (created at first start)
 * @param rotateEvery rotate the signing keys on this schedule (single node), if set
 * @param assertionHeader the header carrying a signed identity assertion to upstreams, if enabled
 * @param assertionTtl lifetime of upstream assertions
 * @param assertionPerRequest whether each request gets an assertion of its own, naming it (slower), rather
 *     than one per caller reused for half its lifetime
 * @param trustedIssuers external issuers whose tokens are accepted
 * @param maxLifetime the longest {@code exp - iat} a token may have, whoever signed it: a token
 *     minted with a stolen signing key for years is refused however valid its signature
 */
public record TokensSpec(
        String issuer,
        String audience,
        Duration ttl,
        Duration clockSkew,
        Path signingKeys,
        Optional<Duration> rotateEvery,
        Optional<String> assertionHeader,
        Duration assertionTtl,
        List<TrustedIssuer> trustedIssuers,
        Duration maxLifetime,
        boolean assertionPerRequest) {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final Duration MAX_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(1);
    public static final Duration MAX_MAX_LIFETIME = Duration.ofDays(1);
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ASSERTION_TTL = Duration.ofSeconds(60);
    public static final String DEFAULT_ASSERTION_HEADER = "X-Gateway-Assertion";

    public TokensSpec {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(signingKeys, "signingKeys");
        Objects.requireNonNull(rotateEvery, "rotateEvery");
        Objects.requireNonNull(assertionHeader, "assertionHeader");
        Objects.requireNonNull(assertionTtl, "assertionTtl");
        trustedIssuers = List.copyOf(trustedIssuers);
        Objects.requireNonNull(maxLifetime, "maxLifetime");
    }

    /**
     * An identity provider whose tokens the gateway accepts.
     *
     * @param issuer the {@code iss} its tokens carry
     * @param jwksFile its keys, from a local JWKS file
     * @param jwksUrl its keys, fetched over HTTPS and cached
     * @param jwksCa CAs the JWKS server's certificate must chain to (empty: the JDK's trust store)
     * @param algorithms the signature algorithms accepted from it
     * @param audience the {@code aud} its tokens must carry
     * @param requireBinding whether its tokens must be bound to the client certificate ({@code cnf})
     * @param vendorClaim the claim naming the vendor
     */
    public record TrustedIssuer(
            String issuer,
            Optional<Path> jwksFile,
            Optional<URI> jwksUrl,
            List<Path> jwksCa,
            Set<String> algorithms,
            String audience,
            boolean requireBinding,
            String vendorClaim) {
        public TrustedIssuer {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(jwksFile, "jwksFile");
            Objects.requireNonNull(jwksUrl, "jwksUrl");
            jwksCa = List.copyOf(jwksCa);
            algorithms = Set.copyOf(algorithms);
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(vendorClaim, "vendorClaim");
        }
    }
}
