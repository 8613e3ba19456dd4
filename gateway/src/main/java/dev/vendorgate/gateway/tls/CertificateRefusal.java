package dev.vendorgate.gateway.tls;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * A client certificate refused, with why. The reason decides the TLS alert the client receives
 * ({@link OpenSslAlerts}) and the reason a failed handshake is counted under, so that a vendor
 * engineer reads {@code unknown_ca} rather than {@code internal_error}.
 */
public final class CertificateRefusal extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** Why, in the terms of the TLS alerts (RFC 8446 section 6.2). */
    public enum Reason {
        /** No certificate at all. */
        MISSING,
        /** Does not chain to a CA this listener trusts: alert {@code unknown_ca}. */
        UNKNOWN_CA,
        /** Chains, but breaks a rule (a CA certificate, not for client authentication, a weak key): {@code bad_certificate}. */
        BAD_CERTIFICATE,
        /** Expired or not yet valid: {@code certificate_expired}. */
        EXPIRED,
        /** Revoked by a configured CRL: {@code certificate_revoked}. */
        REVOKED
    }

    private final Reason reason;

    public CertificateRefusal(Reason reason, String message) {
        this(reason, message, null);
    }

    public CertificateRefusal(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
