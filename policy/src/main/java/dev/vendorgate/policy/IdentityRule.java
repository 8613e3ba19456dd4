package dev.vendorgate.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a client certificate is recognised as belonging to a vendor or an operator. Rules never
 * match on raw string prefixes: a SPIFFE rule for {@code .../vendor/acme} does not match
 * {@code .../vendor/acme-evil}.
 */
public sealed interface IdentityRule {

    boolean matches(PeerCertificate certificate);

    /** Whether some certificate could match both this rule and {@code other}. */
    boolean overlaps(IdentityRule other);

    /**
     * Matches a valid SPIFFE ID (URI SAN) equal to {@code id}, or below it on a path-segment
     * boundary; an invalid one ({@link SpiffeId}) matches no rule.
     *
     * @param id a SPIFFE ID without a trailing slash, for example {@code spiffe://lab.example/vendor/acme}
     */
    record Spiffe(String id) implements IdentityRule {
        public Spiffe {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public boolean matches(PeerCertificate certificate) {
            for (String uri : certificate.uris()) {
                if (SpiffeId.problem(uri) == null && covers(id, uri)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean overlaps(IdentityRule other) {
            return other instanceof Spiffe s && (covers(id, s.id) || covers(s.id, id));
        }

        private static boolean covers(String prefix, String uri) {
            return uri.equals(prefix)
                    || (uri.length() > prefix.length() && uri.startsWith(prefix) && uri.charAt(prefix.length()) == '/');
        }
    }

    /**
     * Matches a certificate whose subject has every listed attribute with exactly the listed
     * value (other attributes may be present).
     *
     * @param attributes upper-case attribute short names (CN, O, OU, ...) to required values
     */
    record Subject(Map<String, String> attributes) implements IdentityRule {
        public Subject {
            attributes = Map.copyOf(attributes);
            if (attributes.isEmpty()) {
                throw new IllegalArgumentException("a subject rule needs at least one attribute");
            }
        }

        @Override
        public boolean matches(PeerCertificate certificate) {
            for (Map.Entry<String, String> wanted : attributes.entrySet()) {
                List<String> values = certificate.subject().get(wanted.getKey());
                if (values == null || !values.contains(wanted.getValue())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean overlaps(IdentityRule other) {
            if (!(other instanceof Subject s)) {
                return false;
            }
            // a certificate can satisfy both unless they demand different values for one attribute
            for (Map.Entry<String, String> wanted : attributes.entrySet()) {
                String theirs = s.attributes.get(wanted.getKey());
                if (theirs != null && !theirs.equals(wanted.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Matches exactly one certificate by the SHA-256 of its DER encoding.
     *
     * @param sha256 lower-case hex without separators
     */
    record Fingerprint(String sha256) implements IdentityRule {
        public Fingerprint {
            sha256 = sha256.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean matches(PeerCertificate certificate) {
            return sha256.equals(certificate.sha256());
        }

        @Override
        public boolean overlaps(IdentityRule other) {
            return other instanceof Fingerprint f && f.sha256.equals(sha256);
        }
    }
}
