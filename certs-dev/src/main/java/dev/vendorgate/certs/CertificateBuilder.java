package dev.vendorgate.certs;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds X.509 certificates for development and tests: {@link #buildSelfSigned()} for a root
 * CA, {@link #buildIssuedBy(IssuedCertificate)} for everything else. Defaults: an EC P-256 key,
 * valid from an hour ago for a year, a random 128-bit serial, the signature algorithm that
 * suits the issuer's key.
 */
public final class CertificateBuilder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private X500Principal subject = new X500Principal("CN=vendorgate dev");
    private KeyType keyType = KeyType.EC_P256;
    private KeyPair keyPair;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private Instant notBefore;
    private Instant notAfter;
    private Duration validFor = Duration.ofDays(365);
    private Integer caPathLen;
    private boolean ca;
    private boolean forceLeafCa;
    private final List<GeneralName> names = new ArrayList<>();
    private final List<KeyPurposeId> purposes = new ArrayList<>();
    private String signatureAlgorithm;
    private BigInteger serial;
    private String crlDistributionPoint;

    public CertificateBuilder subject(String x500Name) {
        this.subject = new X500Principal(Objects.requireNonNull(x500Name, "x500Name"));
        return this;
    }

    public CertificateBuilder keyType(KeyType keyType) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        return this;
    }

    public CertificateBuilder keyPair(KeyPair keyPair) {
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        return this;
    }

    /** The clock for "now", from which a certificate without {@link #notBefore} is valid (less an hour). */
    public CertificateBuilder clock(java.time.Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CertificateBuilder notBefore(Instant notBefore) {
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
        return this;
    }

    public CertificateBuilder notAfter(Instant notAfter) {
        this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
        return this;
    }

    public CertificateBuilder validFor(Duration validFor) {
        this.validFor = Objects.requireNonNull(validFor, "validFor");
        return this;
    }

    /** A CA certificate that may issue up to {@code pathLen} levels of intermediates below it. */
    public CertificateBuilder ca(int pathLen) {
        this.ca = true;
        this.caPathLen = pathLen;
        return this;
    }

    /** A CA certificate without a path length limit. */
    public CertificateBuilder ca() {
        this.ca = true;
        this.caPathLen = null;
        return this;
    }

    /** Marks a leaf CA:true without the right to sign certificates, so tests can prove it is refused. */
    public CertificateBuilder forceLeafCa() {
        this.forceLeafCa = true;
        return this;
    }

    public CertificateBuilder dnsNames(String... dnsNames) {
        for (String name : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, name));
        }
        return this;
    }

    public CertificateBuilder ipAddresses(String... addresses) {
        for (String address : addresses) {
            names.add(new GeneralName(GeneralName.iPAddress, address));
        }
        return this;
    }

    public CertificateBuilder uris(String... uris) {
        for (String uri : uris) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        }
        return this;
    }

    public CertificateBuilder serverAuth() {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
        return this;
    }

    public CertificateBuilder clientAuth() {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
        return this;
    }

    /** No extended key usage at all (tests that it is required). */
    public CertificateBuilder noExtendedKeyUsage() {
        purposes.clear();
        return this;
    }

    /** For example {@code SHA1withRSA}, so tests can produce weak signatures. */
    public CertificateBuilder signatureAlgorithm(String algorithm) {
        this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    public CertificateBuilder serial(BigInteger serial) {
        this.serial = Objects.requireNonNull(serial, "serial");
        return this;
    }

    public CertificateBuilder crlDistributionPoint(String uri) {
        this.crlDistributionPoint = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /** A self-signed certificate (a root CA when {@link #ca()} was called). */
    public IssuedCertificate buildSelfSigned() {
        KeyPair pair = keyPair != null ? keyPair : keyType.generate();
        X509Certificate certificate = build(pair.getPublic(), subject, pair.getPrivate(), pair.getPublic(), null);
        return new IssuedCertificate(certificate, pair.getPrivate(), List.of(certificate));
    }

    /** A certificate signed by {@code issuer}; its chain is this certificate followed by the issuer's. */
    public IssuedCertificate buildIssuedBy(IssuedCertificate issuer) {
        Objects.requireNonNull(issuer, "issuer");
        KeyPair pair = keyPair != null ? keyPair : keyType.generate();
        X509Certificate certificate = build(
                pair.getPublic(),
                issuer.certificate().getSubjectX500Principal(),
                issuer.privateKey(),
                issuer.certificate().getPublicKey(),
                issuer.certificate());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new IssuedCertificate(certificate, pair.getPrivate(), chain);
    }

    private X509Certificate build(
            PublicKey publicKey,
            X500Principal issuerName,
            PrivateKey issuerKey,
            PublicKey issuerPublicKey,
            X509Certificate issuerCertificate) {
        try {
            Instant from = notBefore != null ? notBefore : clock.instant().minus(Duration.ofHours(1));
            Instant to =
                    notAfter != null ? notAfter : from.plus(Duration.ofHours(1)).plus(validFor);
            BigInteger number = serial != null ? serial : new BigInteger(127, RANDOM).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuerName, number, Date.from(from), Date.from(to), subject, publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    issuerCertificate != null
                            ? utils.createAuthorityKeyIdentifier(issuerCertificate)
                            : utils.createAuthorityKeyIdentifier(issuerPublicKey));
            if (ca) {
                builder.addExtension(
                        Extension.basicConstraints,
                        true,
                        caPathLen == null ? new BasicConstraints(true) : new BasicConstraints(caPathLen));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(forceLeafCa));
                int usage =
                        KeyUsage.digitalSignature | (publicKey instanceof ECPublicKey ? 0 : KeyUsage.keyEncipherment);
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            }
            if (!purposes.isEmpty()) {
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
            }
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            if (crlDistributionPoint != null) {
                DistributionPointName point = new DistributionPointName(
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlDistributionPoint)));
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(point, null, null)
                }));
            }
            String algorithm = signatureAlgorithm != null ? signatureAlgorithm : defaultAlgorithm(issuerPublicKey);
            ContentSigner signer = new JcaContentSignerBuilder(algorithm)
                    .setProvider(Bc.PROVIDER)
                    .build(issuerKey);
            X509CertificateHolder holder = builder.build(signer);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (GeneralSecurityException
                | java.io.IOException
                | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(
                    "cannot build certificate for " + subject.getName() + ": " + e.getMessage(), e);
        }
    }

    static String defaultAlgorithm(PublicKey issuerKey) {
        if (issuerKey instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    /** True when {@code text} is an IPv4 or IPv6 literal (never resolves a name). */
    static boolean isIpLiteral(String text) {
        if (text.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(text) != null;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
