package dev.vendorgate.gateway.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vendorgate.policy.TokensSpec;
import dev.vendorgate.policy.Vendor;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Issues access tokens to vendors (OAuth 2.0 client credentials, the client authenticated by its
 * certificate, RFC 8705): ES256 JWTs of type {@code at+jwt} (RFC 9068), bound to the presenting
 * certificate by {@code cnf.x5t#S256}, with at most the scopes the vendor may have.
 */
public final class TokenIssuer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokensSpec spec;
    private final Supplier<SigningKeys> keys;

    TokenIssuer(TokensSpec spec, Supplier<SigningKeys> keys) {
        this.spec = spec;
        this.keys = keys;
    }

    /** A token, or an RFC 6749 error. */
    public sealed interface Outcome {
        /**
         * @param json the RFC 6749 section 5.1 response body
         * @param scope the scopes granted, space-separated
         */
        record Issued(String jti, String json, String scope, Instant expiresAt) implements Outcome {}

        /** @param error the RFC 6749 section 5.2 error code */
        record Refused(int status, String error, String description) implements Outcome {}
    }

    /**
     * Issues a token for a token request ({@code application/x-www-form-urlencoded} fields).
     *
     * @param clientId the client id of the presenting certificate
     * @param certThumbprint base64url SHA-256 of the presenting certificate
     */
    public Outcome issue(Map<String, String> form, Vendor vendor, String clientId, String certThumbprint, Instant now) {
        String grant = form.get("grant_type");
        if (grant == null) {
            return new Outcome.Refused(400, "invalid_request", "grant_type is required");
        }
        if (!grant.equals("client_credentials")) {
            return new Outcome.Refused(400, "unsupported_grant_type", "only client_credentials is supported");
        }
        String requestedClient = form.get("client_id");
        if (requestedClient != null && !requestedClient.equals(clientId)) {
            return new Outcome.Refused(
                    401, "invalid_client", "client_id does not match the client certificate (" + clientId + ")");
        }
        Set<String> scopes;
        String scope = form.get("scope");
        if (scope == null || scope.isBlank()) {
            scopes = new TreeSet<>(vendor.defaultScopes());
        } else {
            scopes = new LinkedHashSet<>();
            for (String s : scope.split(" ")) {
                if (s.isEmpty()) {
                    continue;
                }
                if (!vendor.scopes().contains(s)) {
                    return new Outcome.Refused(
                            400, "invalid_scope", "scope '" + s + "' is not granted to vendor '" + vendor.id() + "'");
                }
                scopes.add(s);
            }
        }
        if (scopes.isEmpty()) {
            return new Outcome.Refused(400, "invalid_scope", "vendor '" + vendor.id() + "' has no scopes to grant");
        }
        String jti = jti();
        long ttl = spec.ttl().toSeconds();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(spec.issuer())
                .audience(spec.audience())
                .subject(clientId)
                .claim("client_id", clientId)
                .claim("vendor", vendor.id())
                .claim("scope", String.join(" ", scopes))
                .issueTime(Date.from(now))
                .claim("iat_ms", now.toEpochMilli()) // iat to the millisecond: see TokenVerifier#revokedBefore
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ttl)))
                .jwtID(jti)
                .claim("cnf", Map.of("x5t#S256", certThumbprint))
                .build();
        String token = sign(claims, new JOSEObjectType("at+jwt"));
        ObjectNode json = Tokens.JSON
                .createObjectNode()
                .put("access_token", token)
                .put("token_type", "Bearer")
                .put("expires_in", ttl)
                .put("scope", String.join(" ", scopes));
        return new Outcome.Issued(jti, json.toString(), String.join(" ", scopes), now.plusSeconds(ttl));
    }

    /** Signs claims with the current key. */
    String sign(JWTClaimsSet claims, JOSEObjectType type) {
        ECKey key = keys.get().current();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES256)
                            .type(type)
                            .keyID(key.getKeyID())
                            .build(),
                    claims);
            jwt.sign(signer(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** The signer of {@code key}, made once per key (see {@link Es256Signer} for why not the JDK's). */
    private Es256Signer signer(ECKey key) throws JOSEException {
        KeySigner current = signer;
        if (current == null || current.key() != key) {
            current = new KeySigner(key, new Es256Signer(key));
            signer = current;
        }
        return current.signer();
    }

    private record KeySigner(ECKey key, Es256Signer signer) {}

    private volatile KeySigner signer;

    private static String jti() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code x5t#S256}: base64url of the SHA-256 of a certificate's DER, from its lower-case hex. */
    public static String thumbprint(String sha256Hex) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(java.util.HexFormat.of().parseHex(sha256Hex));
    }
}
