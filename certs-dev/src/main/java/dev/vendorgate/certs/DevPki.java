package dev.vendorgate.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A development PKI in one object: a CA and the certificates the gateway's users need, with
 * the conventions the gateway's example policies expect (SPIFFE IDs
 * {@code spiffe://<trust domain>/vendor/<vendor>[/<client>]} and {@code .../ops/<name>}).
 */
public final class DevPki {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final String trustDomain;
    private final IssuedCertificate ca;

    private DevPki(String trustDomain, IssuedCertificate ca) {
        this.trustDomain = trustDomain;
        this.ca = ca;
    }

    /** A new EC P-256 root CA valid for ten years. */
    public static DevPki create(String trustDomain) {
        return create(trustDomain, KeyType.EC_P256);
    }

    public static DevPki create(String trustDomain, KeyType keyType) {
        checkDomain(trustDomain);
        IssuedCertificate ca = new CertificateBuilder()
                .subject("CN=vendorgate dev CA,O=" + trustDomain)
                .keyType(keyType)
                .validFor(Duration.ofDays(3650))
                .ca()
                .buildSelfSigned();
        return new DevPki(trustDomain, ca);
    }

    /** Reads {@code ca.pem} and {@code ca.key} written earlier by {@link #writeCa}. */
    public static DevPki load(Path dir) throws IOException {
        List<java.security.cert.X509Certificate> certificates = Pem.readCertificates(dir.resolve("ca.pem"));
        java.security.PrivateKey key = Pem.readPrivateKey(dir.resolve("ca.key"));
        java.security.cert.X509Certificate certificate = certificates.get(0);
        String domain = organisation(certificate.getSubjectX500Principal().getName());
        return new DevPki(domain, new IssuedCertificate(certificate, key, certificates));
    }

    private static String organisation(String dn) {
        for (String part : dn.split(",")) {
            if (part.startsWith("O=")) {
                return part.substring(2);
            }
        }
        return "lab.example";
    }

    public IssuedCertificate ca() {
        return ca;
    }

    public String trustDomain() {
        return trustDomain;
    }

    /** Writes {@code ca.pem} and {@code ca.key} (mode 600) into {@code dir}. */
    public void writeCa(Path dir) throws IOException {
        ca.writePem(dir.resolve("ca.pem"), dir.resolve("ca.key"));
    }

    /** A server certificate; entries that are IP literals become IP SANs, the rest DNS SANs. */
    public IssuedCertificate server(String... dnsNamesAndIps) {
        if (dnsNamesAndIps.length == 0) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String name : dnsNamesAndIps) {
            (CertificateBuilder.isIpLiteral(name) ? ips : dns).add(name);
        }
        return new CertificateBuilder()
                .subject("CN=" + dnsNamesAndIps[0])
                .dnsNames(dns.toArray(new String[0]))
                .ipAddresses(ips.toArray(new String[0]))
                .serverAuth()
                .buildIssuedBy(ca);
    }

    /** A vendor client certificate with SPIFFE ID {@code spiffe://<domain>/vendor/<vendor>[/<client>]}. */
    public IssuedCertificate vendorClient(String vendorId, String clientId) {
        return vendorClient(vendorId, clientId, new CertificateBuilder());
    }

    /** As {@link #vendorClient(String, String)}, starting from {@code builder} (tests tweak keys or dates). */
    public IssuedCertificate vendorClient(String vendorId, String clientId, CertificateBuilder builder) {
        checkId("vendor id", vendorId);
        if (clientId != null) {
            checkId("client id", clientId);
        }
        String spiffe = "spiffe://" + trustDomain + "/vendor/" + vendorId + (clientId == null ? "" : "/" + clientId);
        return builder.subject("CN=" + (clientId == null ? vendorId : clientId) + ",OU=" + vendorId + ",O=vendors")
                .uris(spiffe)
                .clientAuth()
                .buildIssuedBy(ca);
    }

    /** An operator certificate with SPIFFE ID {@code spiffe://<domain>/ops/<name>}. */
    public IssuedCertificate operator(String name) {
        checkId("operator name", name);
        return new CertificateBuilder()
                .subject("CN=" + name + ",OU=ops")
                .uris("spiffe://" + trustDomain + "/ops/" + name)
                .clientAuth()
                .buildIssuedBy(ca);
    }

    /** A PKI whose CA is an intermediate issued by this one (a vendor's own CA, for pinning). */
    public DevPki intermediate(String name) {
        checkId("intermediate name", name);
        IssuedCertificate intermediate = new CertificateBuilder()
                .subject("CN=" + name + " CA,O=" + trustDomain)
                .validFor(Duration.ofDays(1825))
                .ca(0)
                .buildIssuedBy(ca);
        return new DevPki(trustDomain, intermediate);
    }

    private static void checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' must be 1-63 characters of a-z, 0-9, '.', '_' "
                    + "or '-', starting with a letter or digit");
        }
    }

    private static void checkDomain(String domain) {
        Objects.requireNonNull(domain, "trustDomain");
        if (!domain.matches("[a-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "trust domain '" + domain + "' must be lower-case letters, digits, " + "'.', '_' or '-'");
        }
    }
}
