package dev.vendorgate.policy.load;

import dev.vendorgate.policy.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed access to one YAML mapping, reporting wrong types, missing fields and unknown fields
 * (with a "did you mean" hint) to {@link Problems} instead of throwing, so that reading goes on
 * and every error is found in one pass.
 */
final class MapReader {

    private final YamlNode.Mapping map;
    private final String path;
    private final Problems problems;

    private MapReader(YamlNode.Mapping map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /**
     * A reader for {@code node}, or null (with an error) when it is not a mapping. Keys not in
     * {@code known} are reported.
     */
    static MapReader of(YamlNode node, String path, Problems problems, Set<String> known) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, path, "expected a map, found " + (node == null ? "nothing" : node.kind()));
            return null;
        }
        for (YamlNode.Entry entry : m.entries().values()) {
            if (!known.contains(entry.key())) {
                String hint = closest(entry.key(), known);
                problems.add(
                        entry.line(),
                        entry.column(),
                        join(path, entry.key()),
                        "unknown field"
                                + (hint == null
                                        ? "; known fields: " + String.join(", ", sorted(known))
                                        : "; did you mean '" + hint + "'?"));
            }
        }
        return new MapReader(m, path, problems);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return join(path, key);
    }

    YamlNode.Mapping node() {
        return map;
    }

    boolean has(String key) {
        YamlNode.Entry entry = map.entries().get(key);
        return entry != null && !(entry.value() instanceof YamlNode.Null);
    }

    /** The value node of {@code key}, or null when absent or null. */
    YamlNode get(String key) {
        YamlNode.Entry entry = map.entries().get(key);
        return entry == null || entry.value() instanceof YamlNode.Null ? null : entry.value();
    }

    /** Reports that a required field is missing; returns null for convenience. */
    <T> T missing(String key) {
        problems.add(map, pathOf(key), "is required");
        return null;
    }

    String string(String key, boolean required) {
        YamlNode node = get(key);
        if (node == null) {
            return required ? missing(key) : null;
        }
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.STRING) {
            if (s.text().isBlank()) {
                problems.add(node, pathOf(key), "must not be empty");
                return null;
            }
            return s.text();
        }
        problems.add(node, pathOf(key), "expected a string, found " + node.kind() + quoteHint(node));
        return null;
    }

    /**
     * YAML 1.1, which the loader reads, takes unquoted yes, no, on, off, y and n for booleans:
     * say so, since the author of {@code status: off} or {@code id: no} meant the word.
     */
    static String quoteHint(YamlNode node) {
        return node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN
                ? " (write \"" + s.text() + "\" in quotes for the word)"
                : "";
    }

    /**
     * A boolean, or {@code fallback} when absent. YAML 1.1 also reads yes, on and y as true,
     * as the schema's YAML parser does.
     */
    Boolean bool(String key, boolean fallback) {
        YamlNode node = get(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            return switch (s.text().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        problems.add(node, pathOf(key), "expected true or false, found " + node.kind());
        return null;
    }

    /** An integer within [min, max], or {@code fallback} when absent. */
    Long integer(String key, long min, long max, Long fallback) {
        YamlNode node = get(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.INTEGER) {
            try {
                long value = Long.parseLong(s.text());
                if (value < min || value > max) {
                    problems.add(node, pathOf(key), "must be between " + min + " and " + max + ", found " + value);
                    return null;
                }
                return value;
            } catch (NumberFormatException e) {
                // YAML 1.1 also reads 0x1F, 0o17, 1_000 and 1:30 as integers; Java does not
                problems.add(
                        node,
                        pathOf(key),
                        s.text().matches("[-+]?[0-9]+")
                                ? "is too large"
                                : "'" + s.text() + "' is not a plain decimal integer");
                return null;
            }
        }
        problems.add(node, pathOf(key), "expected an integer, found " + node.kind());
        return null;
    }

    /** A positive number (integer or decimal), or {@code fallback} when absent. */
    Double positiveNumber(String key, Double fallback) {
        YamlNode node = get(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof YamlNode.Scalar s
                && (s.type() == YamlNode.Scalar.Type.INTEGER || s.type() == YamlNode.Scalar.Type.DECIMAL)) {
            double value;
            try {
                value = Double.parseDouble(s.text());
            } catch (NumberFormatException e) {
                value = Double.NaN; // YAML's .nan, .inf and forms Java does not read: refused below
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                problems.add(node, pathOf(key), "must be a positive number (leave the field out for no limit)");
                return null;
            }
            return value;
        }
        problems.add(node, pathOf(key), "expected a number, found " + node.kind());
        return null;
    }

    /** A duration such as {@code 10s}, or {@code fallback} when absent. Zero is refused. */
    Duration duration(String key, Duration fallback) {
        YamlNode node = get(key);
        if (node == null) {
            return fallback;
        }
        if (!(node instanceof YamlNode.Scalar s)) {
            problems.add(node, pathOf(key), "expected a duration such as 10s, found " + node.kind());
            return null;
        }
        try {
            Duration value = Units.parseDuration(s.text());
            if (value.isZero()) {
                problems.add(node, pathOf(key), "must be longer than zero");
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(node, pathOf(key), e.getMessage());
            return null;
        }
    }

    /** A positive byte size such as {@code 10MiB} or a plain integer, or {@code fallback}. */
    Long size(String key, Long fallback) {
        YamlNode node = get(key);
        if (node == null) {
            return fallback;
        }
        if (!(node instanceof YamlNode.Scalar s)
                || s.type() == YamlNode.Scalar.Type.BOOLEAN
                || s.type() == YamlNode.Scalar.Type.DECIMAL) {
            problems.add(node, pathOf(key), "expected a size such as 10MiB, found " + node.kind());
            return null;
        }
        try {
            long value = Units.parseSize(s.text());
            if (value <= 0) {
                problems.add(node, pathOf(key), "must be larger than zero (leave the field out for no limit)");
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(node, pathOf(key), e.getMessage());
            return null;
        }
    }

    /** The items of a list field; a missing field is an empty list (or an error if required). */
    List<Item> list(String key, boolean required) {
        YamlNode node = get(key);
        if (node == null) {
            if (required) {
                missing(key);
            }
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence seq)) {
            problems.add(node, pathOf(key), "expected a list, found " + node.kind());
            return List.of();
        }
        List<Item> items = new ArrayList<>(seq.items().size());
        for (int i = 0; i < seq.items().size(); i++) {
            items.add(new Item(seq.items().get(i), pathOf(key) + "[" + i + "]"));
        }
        return items;
    }

    /** A list of non-empty strings; wrong items are reported and left out. */
    List<StringItem> strings(String key, boolean required) {
        List<StringItem> out = new ArrayList<>();
        for (Item item : list(key, required)) {
            if (item.node() instanceof YamlNode.Scalar s
                    && s.type() == YamlNode.Scalar.Type.STRING
                    && !s.text().isBlank()) {
                out.add(new StringItem(s.text(), item.node(), item.path()));
            } else {
                problems.add(
                        item.node(),
                        item.path(),
                        "expected a non-empty string, found " + kindOf(item.node()) + quoteHint(item.node()));
            }
        }
        return out;
    }

    static String kindOf(YamlNode node) {
        return node == null ? "nothing" : node.kind();
    }

    /** A list element with its path. */
    record Item(YamlNode node, String path) {}

    /** A string list element with where it was written. */
    record StringItem(String value, YamlNode node, String path) {}

    private static List<String> sorted(Set<String> known) {
        List<String> list = new ArrayList<>(known);
        list.sort(null);
        return list;
    }

    /** The known name closest to {@code key}, if close enough to be a likely typo. */
    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = candidate.equalsIgnoreCase(key)
                    ? 0
                    : distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(1, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
