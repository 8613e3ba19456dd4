package dev.vendorgate.policy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What a valid SPIFFE ID is (SPIFFE ID specification, section 2): scheme {@code spiffe}, a
 * lower-case trust domain, path segments of letters, digits, '.', '-' and '_' with no empty,
 * '.' or '..' segment, no percent-encoding, query, fragment, user info or port. Identity matching
 * works on path segments, so a name outside this grammar ({@code .../globex/../acme}) could be
 * read as another workload by someone else's parser; it identifies no one.
 */
public final class SpiffeId {

    /** {@code spiffe://}, the start of every SPIFFE ID. */
    public static final String PREFIX = "spiffe://";
    /** The specification's limit for a whole SPIFFE ID, in bytes. */
    public static final int MAX_LENGTH = 2048;
    /** The specification's limit for a trust domain, in characters. */
    public static final int MAX_TRUST_DOMAIN_LENGTH = 255;

    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private SpiffeId() {}

    /** Whether {@code uri} claims to be a SPIFFE ID: its scheme is {@code spiffe} in any case. */
    public static boolean claimed(String uri) {
        return uri.length() >= "spiffe:".length() && uri.regionMatches(true, 0, "spiffe:", 0, "spiffe:".length());
    }

    /** Why {@code id} (from a certificate) is not a valid SPIFFE ID, or null when it is. */
    public static String problem(String id) {
        if (id.endsWith("/")) {
            return "must not end with '/'";
        }
        return problem(id, false);
    }

    /**
     * Why {@code pattern} (from the policy) is not a SPIFFE ID, or null when it is. Unlike an ID,
     * it may end in '/': the pattern covers the IDs below it either way.
     */
    public static String patternProblem(String pattern) {
        return problem(pattern, true);
    }

    private static String problem(String id, boolean pattern) {
        if (!id.startsWith(PREFIX)) {
            return claimed(id) ? "scheme must be lower-case spiffe://" : "must start with spiffe://";
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " bytes";
        }
        String rest = id.substring(PREFIX.length());
        if (pattern && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        String domain = slash < 0 ? rest : rest.substring(0, slash);
        if (domain.isEmpty() || !TRUST_DOMAIN.matcher(domain).matches()) {
            return "trust domain '" + quote(domain) + "' must be lower-case letters, digits, '.', '_' or '-'"
                    + hint(domain);
        }
        if (domain.length() > MAX_TRUST_DOMAIN_LENGTH) {
            return "trust domain longer than " + MAX_TRUST_DOMAIN_LENGTH + " characters";
        }
        if (slash >= 0) {
            for (String segment : rest.substring(slash + 1).split("/", -1)) {
                if (segment.isEmpty()
                        || segment.equals(".")
                        || segment.equals("..")
                        || !PATH_SEGMENT.matcher(segment).matches()) {
                    return "path segment '" + quote(segment) + "' must be letters, digits, '.', '_' or '-' "
                            + "(no empty, '.' or '..' segments)" + hint(segment);
                }
            }
        }
        return null;
    }

    /** {@code part}, cut short: it may come from a certificate and end up in logs and problem bodies. */
    private static String quote(String part) {
        return part.length() <= 64 ? part : part.substring(0, 64) + "...";
    }

    /** What the offending character means, for the few that people write by mistake. */
    private static String hint(String part) {
        if (part.contains("%")) {
            return "; percent-encoding is not allowed";
        }
        if (part.contains("?") || part.contains("#")) {
            return "; a query or fragment is not allowed";
        }
        if (part.contains("@") || part.contains(":")) {
            return "; user info and ports are not allowed";
        }
        return "";
    }
}
