package dev.vendorgate.certs;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Builds a certificate revocation list signed by a development CA. */
public final class CrlBuilder {

    private final IssuedCertificate issuer;
    private final Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
    private Duration nextUpdate = Duration.ofDays(7);
    private java.time.Clock clock = java.time.Clock.systemUTC();

    public CrlBuilder(IssuedCertificate issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    public CrlBuilder revoke(X509Certificate certificate) {
        return revoke(certificate.getSerialNumber(), clock.instant());
    }

    public CrlBuilder revoke(BigInteger serial, Instant when) {
        revoked.put(Objects.requireNonNull(serial, "serial"), Objects.requireNonNull(when, "when"));
        return this;
    }

    /** The clock for "now": the revocation time of {@link #revoke(X509Certificate)}, this update, the CRL number. */
    public CrlBuilder clock(java.time.Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CrlBuilder nextUpdate(Duration nextUpdate) {
        this.nextUpdate = Objects.requireNonNull(nextUpdate, "nextUpdate");
        return this;
    }

    public X509CRL build() {
        try {
            Instant now = clock.instant();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(
                            issuer.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(60)));
            builder.setNextUpdate(Date.from(now.plus(nextUpdate)));
            for (Map.Entry<BigInteger, Instant> entry : revoked.entrySet()) {
                builder.addCRLEntry(entry.getKey(), Date.from(entry.getValue()), CRLReason.keyCompromise);
            }
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            String algorithm =
                    CertificateBuilder.defaultAlgorithm(issuer.certificate().getPublicKey());
            X509CRLHolder holder = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(algorithm)
                    .setProvider(Bc.PROVIDER)
                    .build(issuer.privateKey()));
            return (X509CRL)
                    CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(holder.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build CRL: " + e.getMessage(), e);
        }
    }

    public static String pem(X509CRL crl) {
        try {
            return Pem.encode("X509 CRL", crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }
}
