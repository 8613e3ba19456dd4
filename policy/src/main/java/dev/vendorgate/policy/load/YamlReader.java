package dev.vendorgate.policy.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML into a tree of {@link YamlNode}s with positions. Duplicate keys are reported as
 * errors rather than silently keeping the last one, which is what most YAML loaders do and
 * what makes a copy-pasted policy grant more than its author saw.
 */
final class YamlReader {

    /**
     * Policies are small (a thousand vendors are a few hundred KiB); anything larger than this is a
     * mistake or an attack. The parser's time grows faster than the text (a 4 MiB scalar took 5 s),
     * so a text over the limit is refused before it is parsed.
     */
    static final int MAX_DOCUMENT_CHARS = 1024 * 1024;

    private static final int MAX_DEPTH = 64;

    private final YAMLFactory factory;

    YamlReader() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        options.setMaxAliasesForCollections(20);
        options.setAllowDuplicateKeys(true); // we detect and report them ourselves, with positions
        options.setNestingDepthLimit(MAX_DEPTH);
        this.factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .build())
                // "routes:" with nothing after it is null in YAML, as "routes: ~" is; the builder
                // leaves this off, which made it an empty string ("expected a list, found a string")
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
    }

    /** Parses {@code text}; syntax errors and duplicate keys are added to {@code problems}. */
    YamlNode read(String text, Problems problems) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            problems.add(1, 1, "", "the policy is longer than " + MAX_DOCUMENT_CHARS + " characters");
            return null;
        }
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(1, 1, "", "the file is empty");
                return null;
            }
            YamlNode root = readValue(parser, problems);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.add(at.getLineNr(), at.getColumnNr(), "", "only one YAML document is allowed");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 1 : Math.max(1, at.getLineNr());
            int column = at == null ? 1 : Math.max(1, at.getColumnNr());
            problems.add(line, column, "", "YAML syntax error: " + firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problems.add(1, 1, "", "cannot read YAML: " + firstLine(e.getMessage()));
            return null;
        }
    }

    private YamlNode readValue(JsonParser parser, Problems problems) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = parser.currentToken();
        YAMLParser yaml = (YAMLParser) parser;
        if (yaml.isCurrentAlias()) {
            // Jackson would read an alias as the plain string of its name: refuse rather than mislead
            problems.add(
                    line,
                    column,
                    "",
                    "YAML aliases (*" + parser.getText() + ") are not supported; write the " + "value out in full");
            return new YamlNode.Null(line, column);
        }
        if (yaml.getObjectId() != null) {
            problems.add(line, column, "", "YAML anchors (&" + yaml.getObjectId() + ") are not supported");
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation keyAt = parser.currentTokenLocation();
                    String key = parser.currentName();
                    parser.nextToken();
                    YamlNode value = readValue(parser, problems);
                    YamlNode.Entry entry = new YamlNode.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value);
                    YamlNode.Entry earlier = entries.putIfAbsent(key, entry);
                    if (earlier != null) {
                        problems.add(
                                entry.line(),
                                entry.column(),
                                "",
                                "duplicate key '" + key + "' (first defined on line " + earlier.line() + ")");
                    }
                }
                return new YamlNode.Mapping(entries, line, column);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, problems));
                }
                return new YamlNode.Sequence(items, line, column);
            }
            case VALUE_STRING:
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.STRING, line, column);
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.INTEGER, line, column);
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.DECIMAL, line, column);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.BOOLEAN, line, column);
            case VALUE_NULL:
                return new YamlNode.Null(line, column);
            default:
                problems.add(line, column, "", "unsupported YAML value (" + token + ")");
                return new YamlNode.Null(line, column);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
