package dev.vendorgate.gateway.token;

import java.util.Set;

/**
 * What a token proved, once its signature and claims checked out: kept in the cache and
 * re-checked (expiry, binding, vendor, revocation, scopes) on every request that presents it.
 *
 * @param jti token id (for audit and revocation)
 * @param subject the client id it was issued to
 * @param vendor the vendor it was issued to
 * @param scopes what it allows
 * @param issuedAt {@code iat}, epoch seconds
 * @param notBefore {@code nbf}, epoch seconds (or {@code iat})
 * @param expiresAt {@code exp}, epoch seconds
 * @param certThumbprint {@code cnf.x5t#S256}, or null for an unbound token an issuer may send
 * @param issuer who issued it
 * @param kid the key that signed it (null if the issuer named none): a cached token is only as good
 *     as the key that signed it, so every use re-checks that the key is still trusted
 * @param issuedAtMillis when it was issued to the millisecond, for the gateway's own tokens (its
 *     {@code iat_ms} claim), else {@code issuedAt} in milliseconds; what a cut-off is compared with
 */
public record VerifiedToken(
        String jti,
        String subject,
        String vendor,
        Set<String> scopes,
        long issuedAt,
        long notBefore,
        long expiresAt,
        String certThumbprint,
        String issuer,
        String kid,
        long issuedAtMillis) {}
