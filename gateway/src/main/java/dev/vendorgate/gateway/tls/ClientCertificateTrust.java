package dev.vendorgate.gateway.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides during the TLS handshake whether a client certificate is trusted: it must chain to
 * one of the listener's client CAs, not be revoked by a configured CRL, and meet
 * {@link ClientCertificateRules}. Which vendor it belongs to is decided after the handshake.
 * Refusals are {@link CertificateRefusal}s, whose reason decides the client's TLS alert.
 */
public final class ClientCertificateTrust extends X509ExtendedTrustManager {

    /** Longer chains are refused before any signature is checked. */
    static final int MAX_CHAIN_LENGTH = 8;

    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCertificates;
    private volatile List<X509CRL> crls;
    private final X509Certificate[] acceptedIssuers;

    public ClientCertificateTrust(List<X509Certificate> clientCas, List<X509CRL> crls) {
        Objects.requireNonNull(clientCas, "clientCas");
        if (clientCas.isEmpty()) {
            throw new IllegalArgumentException("at least one client CA is required");
        }
        Set<TrustAnchor> set = new LinkedHashSet<>();
        clientCas.forEach(ca -> set.add(new TrustAnchor(ca, null)));
        this.anchors = Set.copyOf(set);
        this.anchorCertificates = new HashSet<>(clientCas);
        this.crls = List.copyOf(crls);
        this.acceptedIssuers = clientCas.toArray(new X509Certificate[0]);
    }

    /**
     * Validates {@code chain} (leaf first) against {@code anchors}: used for the listener's CAs
     * and, after the handshake, for a vendor's pinned CAs.
     */
    public static void validate(
            X509Certificate[] chain, Set<TrustAnchor> anchors, Set<X509Certificate> anchorCerts, List<X509CRL> crls)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateRefusal(CertificateRefusal.Reason.MISSING, "no client certificate presented");
        }
        if (chain.length > MAX_CHAIN_LENGTH) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE, "certificate chain longer than " + MAX_CHAIN_LENGTH);
        }
        // the path ends before the first certificate that is itself trusted
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (anchorCerts.contains(certificate)) {
                break;
            }
            path.add(certificate);
        }
        if (path.isEmpty()) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE,
                    "the presented certificate is a CA certificate, not a client certificate");
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            if (crls.isEmpty()) {
                parameters.setRevocationEnabled(false);
            } else {
                CertPathValidator validator = CertPathValidator.getInstance("PKIX");
                PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
                // only the configured CRLs count: no OCSP, no downloads, and a CA without a CRL is not an error
                checker.setOptions(EnumSet.of(
                        PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK,
                        PKIXRevocationChecker.Option.SOFT_FAIL));
                parameters.addCertPathChecker(checker);
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                validator.validate(certPath, parameters);
                return;
            }
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw refusal(e, path.size());
        } catch (GeneralSecurityException e) {
            throw new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE, "certificate validation failed: " + e.getMessage(), e);
        }
    }

    /** Why PKIX refused a path of {@code length} certificates, leaf first, in the terms of the TLS alerts. */
    private static CertificateRefusal refusal(CertPathValidatorException e, int length) {
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            return new CertificateRefusal(CertificateRefusal.Reason.REVOKED, "client certificate is revoked", e);
        }
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return new CertificateRefusal(
                    CertificateRefusal.Reason.EXPIRED, "client certificate (or its issuer) has expired", e);
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return new CertificateRefusal(
                    CertificateRefusal.Reason.EXPIRED, "client certificate (or its issuer) is not yet valid", e);
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE && e.getIndex() != length - 1) {
            // inside the presented chain: a certificate the client sent does not verify with the next one
            return new CertificateRefusal(
                    CertificateRefusal.Reason.BAD_CERTIFICATE, "client certificate signature does not verify", e);
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            // the last one does not verify with the trusted CA of its issuer's name: another CA of that name issued it
            return new CertificateRefusal(
                    CertificateRefusal.Reason.UNKNOWN_CA,
                    "client certificate does not chain to a trusted CA (its issuer has the name of a trusted CA, "
                            + "not its key)",
                    e);
        }
        if (reason == CertPathValidatorException.BasicReason.UNSPECIFIED || reason == PKIXReason.NO_TRUST_ANCHOR) {
            return new CertificateRefusal(
                    CertificateRefusal.Reason.UNKNOWN_CA, "client certificate does not chain to a trusted CA", e);
        }
        return new CertificateRefusal(
                CertificateRefusal.Reason.BAD_CERTIFICATE, "client certificate refused: " + e.getMessage(), e);
    }

    /** Replaces the revocation lists (a CRL file changed); handshakes from now on use the new ones. */
    public void crls(List<X509CRL> next) {
        this.crls = List.copyOf(next);
    }

    /** Whether {@code certificate} is revoked by one of the current lists. */
    public boolean revoked(X509Certificate certificate) {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                    && crl.isRevoked(certificate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks {@code chain} as a full handshake does, with the CRLs in force now and at the current
     * time. A resumed TLS session skips the handshake's check, and its certificate may have been
     * revoked (or expired) since the session was made, so every new connection is checked again.
     */
    public void recheck(X509Certificate[] chain) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateRefusal(CertificateRefusal.Reason.MISSING, "no client certificate presented");
        }
        ClientCertificateRules.check(chain);
        validate(chain, anchors, anchorCertificates, crls);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("this trust manager only checks client certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("this trust manager only checks client certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only checks client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return Arrays.copyOf(acceptedIssuers, acceptedIssuers.length);
    }
}
