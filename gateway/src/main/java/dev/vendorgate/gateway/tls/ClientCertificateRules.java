package dev.vendorgate.gateway.tls;

import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Locale;

/**
 * Rules a client certificate must meet beyond chaining to a trusted CA, which the JDK's PKIX
 * validation alone does not enforce: it must be meant for client authentication, must not be a
 * CA, and must use keys and signatures that are still strong.
 */
final class ClientCertificateRules {

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final int MIN_RSA_BITS = 2048;
    static final int MIN_EC_BITS = 256;

    private ClientCertificateRules() {}

    /** Throws with a reason ({@code bad_certificate}) when the presented chain breaks a rule. */
    static void check(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = chain[0];
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE,
                    "client certificate is a CA certificate (basicConstraints CA:true)");
        }
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE,
                    "client certificate has an unreadable extendedKeyUsage extension");
        }
        if (usages == null || !usages.contains(CLIENT_AUTH)) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE,
                    "client certificate lacks the clientAuth extended key usage");
        }
        for (X509Certificate certificate : chain) {
            checkKey(certificate.getPublicKey());
            String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            if (algorithm.contains("SHA1") || algorithm.contains("MD5") || algorithm.contains("MD2")) {
                throw new CertificateRefusal(
                        CertificateRefusal.Reason.BAD_CERTIFICATE,
                        "certificate '" + certificate.getSubjectX500Principal().getName()
                                + "' is signed with a weak algorithm (" + certificate.getSigAlgName() + ")");
            }
        }
    }

    private static void checkKey(PublicKey key) throws CertificateException {
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE,
                    "RSA key of " + rsa.getModulus().bitLength() + " bits is too small (minimum " + MIN_RSA_BITS + ")");
        }
        if (key instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() < MIN_EC_BITS) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE, "EC key is smaller than " + MIN_EC_BITS + " bits");
        }
        if (!(key instanceof RSAPublicKey)
                && !(key instanceof ECPublicKey)
                && !"Ed25519".equals(key.getAlgorithm())
                && !"EdDSA".equals(key.getAlgorithm())) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE, "unsupported key algorithm " + key.getAlgorithm());
        }
    }
}
