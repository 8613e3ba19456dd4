package dev.vendorgate.policy.load;

import dev.vendorgate.policy.IdentityRule;
import dev.vendorgate.policy.SpiffeId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one identity rule: {@code {spiffe: ...}}, {@code {subject: {CN: ..., O: ...}}} or
 * {@code {sha256: ...}}, exactly one of them.
 */
final class IdentityReader {

    private static final Set<String> KINDS = Set.of("spiffe", "subject", "sha256");
    private static final Set<String> SUBJECT_ATTRIBUTES =
            Set.of("CN", "O", "OU", "C", "L", "ST", "DC", "UID", "SERIALNUMBER", "EMAILADDRESS");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final Problems problems;

    IdentityReader(Problems problems) {
        this.problems = problems;
    }

    IdentityRule read(YamlNode node, String path) {
        MapReader r = MapReader.of(node, path, problems, KINDS);
        if (r == null) {
            return null;
        }
        int kinds = (r.has("spiffe") ? 1 : 0) + (r.has("subject") ? 1 : 0) + (r.has("sha256") ? 1 : 0);
        if (kinds != 1) {
            problems.add(node, path, "must have exactly one of spiffe, subject or sha256");
            return null;
        }
        if (r.has("spiffe")) {
            return spiffe(r);
        }
        if (r.has("subject")) {
            return subject(r);
        }
        return fingerprint(r);
    }

    private IdentityRule spiffe(MapReader r) {
        String id = r.string("spiffe", true);
        if (id == null) {
            return null;
        }
        String problem = SpiffeId.patternProblem(id);
        if (problem != null) {
            problems.add(r.get("spiffe"), r.pathOf("spiffe"), problem);
            return null;
        }
        return new IdentityRule.Spiffe(id.endsWith("/") ? id.substring(0, id.length() - 1) : id);
    }

    private IdentityRule subject(MapReader r) {
        YamlNode node = r.get("subject");
        String path = r.pathOf("subject");
        if (!(node instanceof YamlNode.Mapping map) || map.entries().isEmpty()) {
            problems.add(node, path, "expected a map of subject attributes such as {CN: acme, O: Acme}");
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        boolean ok = true;
        for (YamlNode.Entry entry : map.entries().values()) {
            String name = entry.key();
            String entryPath = MapReader.join(path, entry.key());
            if (!SUBJECT_ATTRIBUTES.contains(name)) {
                problems.add(
                        entry.line(),
                        entry.column(),
                        entryPath,
                        "unknown subject attribute; use one of "
                                + "CN, O, OU, C, L, ST, DC, UID, SERIALNUMBER, EMAILADDRESS (upper case)");
                ok = false;
            } else if (entry.value() instanceof YamlNode.Scalar s && !s.text().isBlank()) {
                if (attributes.put(name, s.text()) != null) {
                    problems.add(entry.line(), entry.column(), entryPath, "attribute " + name + " is given twice");
                    ok = false;
                }
            } else {
                problems.add(entry.value(), entryPath, "expected a non-empty value");
                ok = false;
            }
        }
        return ok ? new IdentityRule.Subject(attributes) : null;
    }

    private IdentityRule fingerprint(MapReader r) {
        String text = r.string("sha256", true);
        if (text == null) {
            return null;
        }
        String hex = text.replace(":", "").toLowerCase(Locale.ROOT);
        if (!HEX64.matcher(hex).matches()) {
            problems.add(
                    r.get("sha256"),
                    r.pathOf("sha256"),
                    "must be the 64 hex digits of a SHA-256 fingerprint (colons allowed)");
            return null;
        }
        return new IdentityRule.Fingerprint(hex);
    }

    /** A readable name for an operator given no name: what the rule matches. */
    static String describe(IdentityRule rule) {
        if (rule instanceof IdentityRule.Spiffe s) {
            return s.id();
        }
        if (rule instanceof IdentityRule.Subject s) {
            StringBuilder out = new StringBuilder();
            s.attributes().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.append(out.length() == 0 ? "" : ",")
                            .append(e.getKey())
                            .append('=')
                            .append(e.getValue()));
            return out.toString();
        }
        return "sha256:" + ((IdentityRule.Fingerprint) rule).sha256().substring(0, 16);
    }
}
