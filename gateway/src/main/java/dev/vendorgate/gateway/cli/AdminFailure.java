package dev.vendorgate.gateway.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why {@code ctl} could not talk to the admin API, in the words an operator acts on ("connection
 * refused at ...: is the gateway running?"), never an exception's name.
 */
final class AdminFailure {

    private AdminFailure() {}

    /** What went wrong reaching {@code base} with the operator certificate {@code cert}, trusting {@code cacert}. */
    static String describe(Throwable failure, URI base, Path cert, Path cacert) {
        String host = base.getHost();
        if (find(failure, HttpConnectTimeoutException.class) != null) {
            return "no answer from " + base + " within 10 seconds: is the host up, and the port open to you?";
        }
        if (find(failure, HttpTimeoutException.class) != null) {
            return "the admin API at " + base + " did not answer within 60 seconds";
        }
        if (find(failure, UnresolvedAddressException.class) != null
                || find(failure, UnknownHostException.class) != null) {
            return "unknown host '" + host + "' in " + base + ": check --admin (or VENDORGATE_ADMIN)";
        }
        if (find(failure, ConnectException.class) != null && find(failure, SSLException.class) == null) {
            return "connection refused at " + base + ": is the gateway running? (check --admin, or VENDORGATE_ADMIN, "
                    + "and listeners.admin.bind of the policy)";
        }
        String alert = alert(failure);
        boolean closed = closedEarly(failure);
        if (alert != null) {
            return refusedCertificate(alert, cert, base, "TLS alert " + alert);
        }
        if (find(failure, CertPathBuilderException.class) != null
                || find(failure, CertPathValidatorException.class) != null) {
            return "the gateway's certificate at " + base + " is not issued by the CA in --cacert " + cacert
                    + ": is it the gateway's CA (listeners.admin.tls.cert's issuer)?";
        }
        CertificateException badName = find(failure, CertificateException.class);
        if (badName != null && text(badName).contains("subject alternative name")) {
            return "the gateway's certificate is not for '" + host + "': use a name or address it is issued for in "
                    + "--admin (" + text(badName) + ")";
        }
        SSLException tls = find(failure, SSLException.class);
        if (tls != null) {
            return "TLS with " + base + " failed: " + text(root(tls));
        }
        if (closed) {
            // TLS 1.3: the server checks the client certificate after the client's side of the handshake is done,
            // so its refusal arrives as an alert or, by timing, as a connection closed before any answer
            return refusedCertificate("closed", cert, base, "the connection was closed in the TLS handshake");
        }
        return "cannot reach the admin API at " + base + ": " + text(root(failure));
    }

    private static String refusedCertificate(String alert, Path cert, URI base, String evidence) {
        String why = switch (alert) {
            case "unknown_ca" -> "not issued by the operators' CA";
            case "certificate_expired" -> "it has expired (or is not valid yet)";
            case "certificate_revoked" -> "it is revoked (in the operators' CRL)";
            case "certificate_required" -> "no certificate was sent";
            case "bad_certificate" ->
                "it breaks a rule for client certificates (no clientAuth usage, a CA " + "certificate, a weak key)";
            case "closed" -> "most likely not issued by the operators' CA, or expired, or revoked";
            // an older gateway answers internal_error for a certificate its verifier refused, whatever the reason
            default -> "not issued by the operators' CA, or expired, or revoked";
        };
        return "the admin API at " + base + " refused your certificate " + cert + ": " + why + " (" + evidence + ")";
    }

    /** The TLS alert the server sent ({@code unknown_ca}, {@code bad_certificate}, ...), or null. */
    private static String alert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = text(t).toLowerCase(Locale.ROOT);
            int at = message.indexOf("received fatal alert: ");
            if (at >= 0) {
                String alert = message.substring(at + "received fatal alert: ".length())
                        .strip();
                int end = alert.indexOf(' ');
                return end < 0 ? alert : alert.substring(0, end);
            }
        }
        return null;
    }

    private static boolean closedEarly(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = text(t).toLowerCase(Locale.ROOT);
            if (message.contains("connection reset")
                    || message.contains("eof reached")
                    || message.contains("received no bytes")
                    || message.contains("connection closed")
                    || message.contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String text(Throwable t) {
        return t.getMessage() == null ? "no detail" : t.getMessage();
    }
}
