package dev.vendorgate.gateway.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Gives BoringSSL the verification error that matches a {@link CertificateRefusal}, so that the
 * client gets the alert that says why. Netty turns a trust manager's exception into an error
 * code only for expiry and revocation; any other exception becomes {@code X509_V_ERR_UNSPECIFIED},
 * which BoringSSL sends as {@code internal_error}. An {@link OpenSslCertificateException} carries
 * its own code. Only for the BoringSSL provider: the codes come from netty-tcnative's native library.
 */
final class OpenSslAlerts extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager trust;

    OpenSslAlerts(X509ExtendedTrustManager trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** The verification error BoringSSL turns into the alert of {@code reason}. */
    static int errorCode(CertificateRefusal.Reason reason) {
        return switch (reason) {
            case UNKNOWN_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY; // unknown_ca
            case BAD_CERTIFICATE, MISSING -> CertificateVerifier.X509_V_ERR_CERT_REJECTED; // bad_certificate
            case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED; // certificate_expired
            case REVOKED -> CertificateVerifier.X509_V_ERR_CERT_REVOKED; // certificate_revoked
        };
    }

    private static CertificateException translate(CertificateException e) {
        if (e instanceof CertificateRefusal refusal) {
            return new OpenSslCertificateException(refusal.getMessage(), refusal, errorCode(refusal.reason()));
        }
        return e;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw translate(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw translate(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw translate(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.getAcceptedIssuers();
    }
}
