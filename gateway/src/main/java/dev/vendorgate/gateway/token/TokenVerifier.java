package dev.vendorgate.gateway.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.policy.TokensSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Checks bearer tokens: the gateway's own (ES256, {@code typ at+jwt}) and those of trusted
 * issuers. A token is verified cryptographically once, then cached until it expires; every use,
 * cached or not, re-checks expiry, the binding to this connection's certificate (RFC 8705), the
 * vendor, and revocation, so a revocation takes effect on the next request.
 */
public final class TokenVerifier {

    private static final long CACHE_WEIGHT = 32L * 1024 * 1024;
    private static final java.util.regex.Pattern KID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final TokensSpec spec;
    private final Supplier<SigningKeys> ownKeys;
    private final Map<String, IssuerKeys> trusted;
    private final long skewSeconds;
    private final Cache<String, VerifiedToken> cache;

    TokenVerifier(TokensSpec spec, Supplier<SigningKeys> ownKeys, Map<String, IssuerKeys> trusted) {
        this.spec = spec;
        this.ownKeys = ownKeys;
        this.trusted = trusted;
        this.skewSeconds = spec.clockSkew().toSeconds();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(CACHE_WEIGHT)
                .weigher((String header, VerifiedToken verified) -> header.length() + 256)
                .expireAfter(new Expiry<String, VerifiedToken>() {
                    @Override
                    public long expireAfterCreate(String token, VerifiedToken verified, long now) {
                        return 0; // entries are put with their lifetime, measured on the gateway's clock (see check)
                    }

                    @Override
                    public long expireAfterUpdate(String token, VerifiedToken verified, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(String token, VerifiedToken verified, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The outcome for one request: the token, or why it is not accepted. */
    public sealed interface Result {
        record Valid(VerifiedToken token) implements Result {}

        record Invalid(TokenFailure failure) implements Result {}
    }

    /**
     * Checks the {@code Authorization} header of a request.
     *
     * @param authorization the header value, or null
     * @param certThumbprint base64url SHA-256 of this connection's client certificate
     * @param vendor the vendor of this connection
     */
    public Result check(String authorization, String certThumbprint, String vendor, Instant now, ControlState control) {
        return check(authorization, null, certThumbprint, vendor, now, control);
    }

    /**
     * The token a connection presented last, and what it verified to: a client sends the same
     * header on request after request, and comparing it with the last one (a vectorized
     * {@code equals}) is cheaper than hashing a 700-character header for the cache. Only the
     * verification is reused; every check of {@link #check} after it runs on every request.
     * Confined to the connection's event loop.
     */
    public static final class Memo {
        private String header;
        private VerifiedToken token;
        private TokenVerifier verifier;
    }

    /**
     * {@link #check(String, String, String, Instant, ControlState)}, first against the token the
     * same connection presented last ({@code memo}, may be null).
     */
    public Result check(
            String authorization, Memo memo, String certThumbprint, String vendor, Instant now, ControlState control) {
        if (authorization == null) {
            return new Result.Invalid(TokenFailure.MISSING);
        }
        VerifiedToken verified =
                memo != null && memo.verifier == this && authorization.equals(memo.header) ? memo.token : null;
        if (verified != null) {
            if (keyStillTrusted(verified)) {
                TokenFailure failure = stillValid(verified, certThumbprint, vendor, now, control);
                return failure == null ? new Result.Valid(verified) : new Result.Invalid(failure);
            }
            memo.header = null;
            memo.token = null;
        }
        Result result = checkCached(authorization, certThumbprint, vendor, now, control);
        if (memo != null && result instanceof Result.Valid valid) {
            memo.header = authorization;
            memo.token = valid.token();
            memo.verifier = this;
        }
        return result;
    }

    private Result checkCached(
            String authorization, String certThumbprint, String vendor, Instant now, ControlState control) {
        // cached by the header as sent ("Bearer <token>"): a hit takes no copy of the token
        VerifiedToken verified = cache.getIfPresent(authorization);
        if (verified != null && !keyStillTrusted(verified)) {
            // the key that signed it was rotated out or retired since: verify again, which refuses it
            cache.invalidate(authorization);
            verified = null;
        }
        if (verified == null) {
            String token = bearer(authorization);
            if (token == null) {
                return new Result.Invalid(TokenFailure.MISSING);
            }
            // kept under the canonical form only: spelling variants of one token ("bearer", extra spaces) find it
            // there (one copy each time) instead of each filling the cache with another entry
            boolean canonical = authorization.length() == token.length() + 7 && authorization.startsWith("Bearer ");
            String key = canonical ? authorization : "Bearer " + token;
            verified = canonical ? null : cache.getIfPresent(key);
            if (verified != null && !keyStillTrusted(verified)) {
                cache.invalidate(key);
                verified = null;
            }
            if (verified == null) {
                try {
                    verified = verify(token, now);
                } catch (CompactJwt.Invalid e) {
                    return new Result.Invalid(e.failure());
                }
                // cached until it expires by the time the request is checked against, the gateway's clock
                long lifetime = Math.max(0, verified.expiresAt() + skewSeconds - now.getEpochSecond());
                cache.policy().expireVariably().orElseThrow().put(key, verified, lifetime, TimeUnit.SECONDS);
            }
        }
        TokenFailure failure = stillValid(verified, certThumbprint, vendor, now, control);
        return failure == null ? new Result.Valid(verified) : new Result.Invalid(failure);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null
                || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** Whether the key that signed a cached token would still be found for it now. */
    private boolean keyStillTrusted(VerifiedToken token) {
        if (token.issuer().equals(spec.issuer())) {
            return ownKeys.get().verificationKey(token.kid()) != null;
        }
        IssuerKeys external = trusted.get(token.issuer());
        return external != null && external.key(token.kid()) != null;
    }

    private TokenFailure stillValid(
            VerifiedToken token, String thumbprint, String vendor, Instant now, ControlState control) {
        long seconds = now.getEpochSecond();
        if (seconds > token.expiresAt() + skewSeconds) {
            return TokenFailure.EXPIRED;
        }
        if (seconds < token.notBefore() - skewSeconds) {
            return TokenFailure.NOT_YET_VALID;
        }
        if (token.certThumbprint() != null && !token.certThumbprint().equals(thumbprint)) {
            return TokenFailure.NOT_BOUND;
        }
        if (!token.vendor().equals(vendor)) {
            return TokenFailure.OTHER_VENDOR;
        }
        Instant breach = control.credentialCutoff(token.vendor());
        if (breach != null && token.issuedAtMillis() < breach.toEpochMilli()) {
            return TokenFailure.CUT_OFF;
        }
        if (token.issuer().equals(spec.issuer()) && control.keyRetired(token.kid())) {
            return TokenFailure.REVOKED;
        }
        if (control.tokenRevoked(token.jti())
                || revokedBefore(control.clientCutoff(token.subject()), token)
                || revokedBefore(control.vendorCutoff(token.vendor()), token)) {
            return TokenFailure.REVOKED;
        }
        return null;
    }

    /**
     * A token issued at or before a cutoff is dead. The gateway's own tokens say when they were
     * issued to the millisecond, so one minted right after a resume works; for a token with whole
     * seconds only, the cut-off's second counts as before.
     */
    private static boolean revokedBefore(Instant cutoff, VerifiedToken token) {
        return cutoff != null && token.issuedAtMillis() <= cutoff.toEpochMilli();
    }

    private VerifiedToken verify(String token, Instant now) throws CompactJwt.Invalid {
        // the strict pre-check: shape, JSON without duplicates, no keys from the token, a known issuer and key
        CompactJwt jwt = CompactJwt.parse(token);
        checkHeader(jwt);
        String issuer = jwt.text("iss");
        if (issuer == null) {
            throw new CompactJwt.Invalid(TokenFailure.MISSING_CLAIM);
        }
        boolean own = issuer.equals(spec.issuer());
        IssuerKeys external = own ? null : trusted.get(issuer);
        if (!own && external == null) {
            throw new CompactJwt.Invalid(TokenFailure.UNKNOWN_ISSUER);
        }
        String alg = jwt.alg();
        Set<String> allowed = own ? Set.of("ES256") : external.spec().algorithms();
        if (alg == null || !allowed.contains(alg)) {
            throw new CompactJwt.Invalid(TokenFailure.REJECTED_HEADER);
        }
        JWK key = own ? ownKeys.get().verificationKey(jwt.kid()) : external.key(jwt.kid());
        if (key == null) {
            throw new CompactJwt.Invalid(TokenFailure.UNKNOWN_KEY);
        }
        if (key instanceof RSAKey rsa && rsa.size() < 2048) {
            throw new CompactJwt.Invalid(TokenFailure.UNKNOWN_KEY);
        }
        String audience = own ? spec.audience() : external.spec().audience();
        String vendorClaim = own ? "vendor" : external.spec().vendorClaim();
        // then Nimbus's processor: type, signature, audience, issuer, required claims, expiry, not-before
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(refusingAs(TokenFailure.REJECTED_HEADER, own ? OWN_TYPES : EXTERNAL_TYPES));
        processor.setJWSKeySelector((header, context) -> List.of(publicKey(key)));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(jwt, issuer, audience, vendorClaim, now));
        try {
            processor.process(SignedJWT.parse(jwt.raw()), null);
        } catch (Refusal e) {
            throw new CompactJwt.Invalid(e.failure);
        } catch (BadJOSEException | JOSEException | ParseException | RuntimeException e) {
            throw new CompactJwt.Invalid(TokenFailure.BAD_SIGNATURE);
        }
        return claims(jwt, own, vendorClaim, now);
    }

    /** The types the gateway's own tokens carry (RFC 9068), and those accepted from trusted issuers. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> OWN_TYPES =
            new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));

    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> EXTERNAL_TYPES =
            new DefaultJOSEObjectTypeVerifier<>(
                    new JOSEObjectType("at+jwt"),
                    new JOSEObjectType("application/at+jwt"),
                    new JOSEObjectType("jwt"),
                    null);

    /** A type verifier that names its refusal, so it is told apart from a bad signature. */
    private static JOSEObjectTypeVerifier<SecurityContext> refusingAs(
            TokenFailure failure, JOSEObjectTypeVerifier<SecurityContext> types) {
        return (type, context) -> {
            // compared without case, as RFC 7515 section 4.1.9 recommends
            JOSEObjectType lower =
                    type == null ? null : new JOSEObjectType(type.getType().toLowerCase(Locale.ROOT));
            try {
                types.verify(lower, context);
            } catch (BadJOSEException e) {
                throw new Refusal(failure);
            }
        };
    }

    private static java.security.PublicKey publicKey(JWK key) throws KeySourceException {
        try {
            return ((AsymmetricJWK) key).toPublicKey();
        } catch (JOSEException | ClassCastException e) {
            throw new KeySourceException("not a public key");
        }
    }

    /** A refusal by one of the processor's verifiers, with the failure class it found. */
    private static final class Refusal extends BadJWTException {
        private final TokenFailure failure;

        Refusal(TokenFailure failure) {
            super(failure.code());
            this.failure = failure;
        }
    }

    /**
     * Nimbus's claims verifier on the gateway's clock; when it refuses, the failure is named from
     * the strictly parsed claims (which claim, which check) for the audit record and the metric.
     */
    private final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final CompactJwt jwt;
        private final String audience;
        private final Instant now;

        ClaimsVerifier(CompactJwt jwt, String issuer, String audience, String vendorClaim, Instant now) {
            super(
                    Set.of(audience),
                    new JWTClaimsSet.Builder().issuer(issuer).build(),
                    Set.of("exp", "iat", "jti", "sub", vendorClaim),
                    null);
            setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, skewSeconds));
            this.jwt = jwt;
            this.audience = audience;
            this.now = now;
        }

        @Override
        protected Date currentTime() {
            return Date.from(now);
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            try {
                super.verify(claims, context);
            } catch (BadJWTException e) {
                throw new Refusal(failureOf());
            }
        }

        private TokenFailure failureOf() {
            for (String claim : getRequiredClaims()) {
                if (!jwt.claims().has(claim)) {
                    return TokenFailure.MISSING_CLAIM;
                }
            }
            if (!hasAudience(jwt, audience)) {
                return TokenFailure.WRONG_AUDIENCE;
            }
            Long exp = jwt.seconds("exp");
            if (exp != null && now.getEpochSecond() > exp + skewSeconds) {
                return TokenFailure.EXPIRED;
            }
            Long nbf = jwt.seconds("nbf");
            if (nbf != null && now.getEpochSecond() < nbf - skewSeconds) {
                return TokenFailure.NOT_YET_VALID;
            }
            return TokenFailure.MISSING_CLAIM; // a claim of the wrong type
        }
    }

    private static void checkHeader(CompactJwt jwt) throws CompactJwt.Invalid {
        // no keys or key locations from the token itself, no critical extensions we do not implement
        for (String forbidden : new String[] {"jwk", "jku", "x5u", "x5c", "crit", "b64", "zip", "enc"}) {
            if (jwt.header().has(forbidden)) {
                throw new CompactJwt.Invalid(TokenFailure.REJECTED_HEADER);
            }
        }
        String kid = jwt.kid();
        if (jwt.header().has("kid") && (kid == null || !KID.matcher(kid).matches())) {
            throw new CompactJwt.Invalid(TokenFailure.REJECTED_HEADER);
        }
    }

    /** What the gateway needs of a token Nimbus accepted, read from the strictly parsed claims. */
    private VerifiedToken claims(CompactJwt jwt, boolean own, String vendorClaim, Instant now)
            throws CompactJwt.Invalid {
        Long exp = jwt.seconds("exp");
        Long iat = jwt.seconds("iat");
        String jti = jwt.text("jti");
        String sub = jwt.text("sub");
        String vendor = jwt.text(vendorClaim);
        if (exp == null || iat == null || jti == null || sub == null || vendor == null) {
            throw new CompactJwt.Invalid(TokenFailure.MISSING_CLAIM);
        }
        if (jwt.claims().has("nbf") && jwt.seconds("nbf") == null) {
            throw new CompactJwt.Invalid(TokenFailure.MISSING_CLAIM);
        }
        long nbf = jwt.seconds("nbf") == null ? iat : jwt.seconds("nbf");
        if (exp - iat > spec.maxLifetime().toSeconds()) {
            // no issuer of ours mints such a token: a forgery with a stolen key, or a misconfigured issuer
            throw new CompactJwt.Invalid(TokenFailure.LIFETIME_TOO_LONG);
        }
        // whole seconds: the earliest it may have been, so a cut-off within that second catches it
        long issuedAtMillis = iat * 1000;
        Long precise = own ? jwt.seconds("iat_ms") : null;
        if (precise != null && precise / 1000 == iat) {
            issuedAtMillis = precise;
        }
        if (iat > now.getEpochSecond() + skewSeconds) {
            throw new CompactJwt.Invalid(TokenFailure.ISSUED_IN_FUTURE);
        }
        String thumbprint = jwt.claims().path("cnf").path("x5t#S256").isTextual()
                ? jwt.claims().path("cnf").path("x5t#S256").asText()
                : null;
        boolean bindingRequired = own || trusted.get(jwt.text("iss")).spec().requireBinding();
        if (thumbprint == null && bindingRequired) {
            throw new CompactJwt.Invalid(TokenFailure.NOT_BOUND);
        }
        Set<String> scopes = new LinkedHashSet<>();
        String scope = jwt.text("scope");
        if (scope != null) {
            for (String s : scope.split(" ")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return new VerifiedToken(
                jti,
                sub,
                vendor,
                Set.copyOf(scopes),
                iat,
                nbf,
                exp,
                thumbprint,
                jwt.text("iss"),
                jwt.kid(),
                issuedAtMillis);
    }

    private static boolean hasAudience(CompactJwt jwt, String audience) {
        var aud = jwt.claims().get("aud");
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return aud.asText().equals(audience);
        }
        if (aud.isArray()) {
            for (var item : aud) {
                if (item.isTextual() && item.asText().equals(audience)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Tokens verified and cached now (for tests and metrics). */
    public long cached() {
        return cache.estimatedSize();
    }
}
