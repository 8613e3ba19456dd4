package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.tls.CertificateRefusal;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;

/** Why a TLS handshake failed: a short description for logs, and a stable code for metric labels. */
final class HandshakeFailures {

    private HandshakeFailures() {}

    /**
     * One of a fixed set of codes: timeout, not_tls, client_closed, no_certificate,
     * certificate_expired, certificate_revoked, certificate_untrusted, protocol (no common
     * protocol version or cipher) or other.
     */
    static String code(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "timeout";
        }
        if (cause instanceof NotSslRecordException) {
            return "not_tls";
        }
        if (cause instanceof ClosedChannelException) {
            return "client_closed";
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateRefusal refusal) {
                return code(refusal.reason());
            }
            if (t instanceof CertPathValidatorException e) {
                if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                    return "certificate_revoked";
                }
                if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                        || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return "certificate_expired";
                }
            }
        }
        String text = describe(cause).toLowerCase(Locale.ROOT);
        if (text.contains("no client certificate")
                || text.contains("did_not_return_a_certificate")
                || text.contains("certificate_required")
                || text.contains("empty client certificate")) {
            return "no_certificate";
        }
        if (text.contains("certificate")) {
            return "certificate_untrusted";
        }
        if (text.contains("protocol") || text.contains("cipher") || text.contains("version")) {
            return "protocol";
        }
        return "other";
    }

    /** The label of a refusal by the listener's trust: the reasons docs/observability.md lists. */
    static String code(CertificateRefusal.Reason reason) {
        return switch (reason) {
            case MISSING -> "no_certificate";
            case UNKNOWN_CA, BAD_CERTIFICATE -> "certificate_untrusted";
            case EXPIRED -> "certificate_expired";
            case REVOKED -> "certificate_revoked";
        };
    }

    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateRefusal refusal) {
                return refusal.getMessage(); // the gateway's own words, not PKIX's
            }
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return "handshake timed out";
        }
        if (cause instanceof NotSslRecordException) {
            return "not TLS (plain HTTP sent to a TLS port?)";
        }
        if (cause instanceof ClosedChannelException) {
            return "client closed the connection during the handshake";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
