package dev.vendorgate.policy.load;

import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written, so that every validation error can name
 * the line and column of the offending field rather than only its path.
 */
sealed interface YamlNode {

    /** 1-based line of the node's first character. */
    int line();

    /** 1-based column of the node's first character. */
    int column();

    /** A short word for the node's kind, used in "expected a list, found a map" messages. */
    String kind();

    record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {
        @Override
        public String kind() {
            return "a map";
        }
    }

    /** One key of a mapping, with the key's own position (errors about the key point there). */
    record Entry(String key, int line, int column, YamlNode value) {}

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar; {@code quoted} tells a YAML string from a bare number or boolean. */
    record Scalar(String text, Type type, int line, int column) implements YamlNode {
        enum Type {
            STRING,
            INTEGER,
            DECIMAL,
            BOOLEAN
        }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case DECIMAL -> "a decimal number";
                case BOOLEAN -> "a boolean";
            };
        }
    }

    record Null(int line, int column) implements YamlNode {
        @Override
        public String kind() {
            return "nothing (null)";
        }
    }
}
