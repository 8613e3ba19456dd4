package dev.vendorgate.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The facts about a client certificate that identity rules look at, extracted once per
 * connection so that matching needs no certificate parsing.
 *
 * @param uris the URI subject alternative names, for example a SPIFFE ID
 * @param subjectDn the subject in RFC 2253 form
 * @param subject subject attributes by upper-case short name (CN, O, OU, ...), each with every value
 * @param sha256 lower-case hex SHA-256 of the DER encoding, without separators
 */
public record PeerCertificate(List<String> uris, String subjectDn, Map<String, List<String>> subject, String sha256) {

    private static final Map<String, String> OID_NAMES = Map.of(
            "2.5.4.5", "SERIALNUMBER",
            "1.2.840.113549.1.9.1", "EMAILADDRESS");
    private static final int URI_SAN = 6;

    public PeerCertificate {
        uris = List.copyOf(uris);
        Objects.requireNonNull(subjectDn, "subjectDn");
        subject = Map.copyOf(subject);
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * The client id used for per-client limits and audit: the first URI SAN when there is one
     * (SPIFFE IDs name a workload precisely), otherwise the subject.
     */
    public String clientId() {
        return uris.isEmpty() ? subjectDn : uris.get(0);
    }

    /** Extracts the facts from a certificate. */
    public static PeerCertificate of(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, OID_NAMES);
        return new PeerCertificate(uriNames(certificate), dn, attributes(dn), fingerprint(certificate));
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }

    private static List<String> uriNames(X509Certificate certificate) {
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2
                            && Integer.valueOf(URI_SAN).equals(name.get(0))
                            && name.get(1) instanceof String s) {
                        uris.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a certificate whose SAN extension cannot be parsed has no usable URI names
        }
        return uris;
    }

    private static Map<String, List<String>> attributes(String dn) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                javax.naming.directory.Attributes parts = rdn.toAttributes();
                var ids = parts.getIDs();
                while (ids.hasMore()) {
                    String id = ids.next();
                    Object value = parts.get(id).get();
                    attributes
                            .computeIfAbsent(id.toUpperCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(String.valueOf(value));
                }
            }
        } catch (InvalidNameException e) {
            return Map.of();
        } catch (javax.naming.NamingException e) {
            return Map.of();
        }
        attributes.replaceAll((k, v) -> List.copyOf(v));
        return attributes;
    }
}
