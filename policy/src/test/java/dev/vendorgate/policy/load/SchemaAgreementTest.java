package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema describes what the loader accepts, no more and no less: editors must not flag a
 * policy the gateway takes, nor pass a structurally wrong one. Each case changes one value of
 * {@code examples/full.yaml} and expects the loader and the schema to give the same verdict.
 * What only the loader can judge (references, overlaps, duplicates) is in
 * {@link BrokenPoliciesTest#LOADER_ONLY}.
 */
class SchemaAgreementTest {

    private static final Path FULL = Path.of("examples/full.yaml");
    private static final Path MINIMAL = Path.of("examples/minimal.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SHA = "3f2b5c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";

    static Stream<Arguments> edits() {
        return Stream.of(
                // bind: host:port, port 0-65535
                ok("\"0.0.0.0:8443\"", "\"0.0.0.0:65535\""),
                ok("\"0.0.0.0:8443\"", "\"[::]:8443\""),
                ok("\"0.0.0.0:8443\"", "\"localhost:0\""),
                bad("\"0.0.0.0:8443\"", "\"0.0.0.0:65536\""),
                bad("\"0.0.0.0:8443\"", "\"0.0.0.0\""),
                bad("\"0.0.0.0:8443\"", "\":8443\""),
                bad("\"0.0.0.0:8443\"", "\"[]:8443\""),
                bad("\"0.0.0.0:8443\"", "\"0.0.0.0:+8443\""),
                bad("\"0.0.0.0:8443\"", "\"::1:8443\""),
                // http hygiene
                ok("underscoreHeaders: reject", "underscoreHeaders: drop"),
                ok("underscoreHeaders: reject", "underscoreHeaders: allow"),
                bad("underscoreHeaders: reject", "underscoreHeaders: ignore"),
                bad("maxHeaderCount: 100", "maxHeaderCount: 0"),
                bad("maxHeaderCount: 100", "maxHeaderCount: 10001"),
                bad("headerTimeout: 10s", "headerTimeout: 10"),
                // durations
                ok("handshakeTimeout: 10s", "handshakeTimeout: 500ms"),
                ok("handshakeTimeout: 10s", "handshakeTimeout: 1d"),
                bad("handshakeTimeout: 10s", "handshakeTimeout: 0s"),
                bad("handshakeTimeout: 10s", "handshakeTimeout: 10 s"),
                bad("handshakeTimeout: 10s", "handshakeTimeout: 10"),
                bad("handshakeTimeout: 10s", "handshakeTimeout: 1h30m"),
                bad("idleTimeout: 60s", "idleTimeout: 60"),
                // sizes
                ok("maxBodyBytes: 10MiB", "maxBodyBytes: 10485760"),
                ok("maxBodyBytes: 10MiB", "maxBodyBytes: \"10485760\""),
                ok("maxBodyBytes: 10MiB", "maxBodyBytes: 10 MiB"),
                ok("maxBodyBytes: 10MiB", "maxBodyBytes: 10MB"),
                ok("maxBodyBytes: 10MiB", "maxBodyBytes: 512B"),
                bad("maxBodyBytes: 10MiB", "maxBodyBytes: 0"),
                bad("maxBodyBytes: 10MiB", "maxBodyBytes: 0KiB"),
                bad("maxBodyBytes: 10MiB", "maxBodyBytes: 1.5MiB"),
                bad("maxBodyBytes: 10MiB", "maxBodyBytes: 10mib"),
                bad("maxBodyBytes: 10MiB", "maxBodyBytes: 10 megabytes"),
                // integers with ranges
                bad("maxHeaderBytes: 16384", "maxHeaderBytes: 16KiB"),
                bad("maxHeaderBytes: 16384", "maxHeaderBytes: 1023"),
                bad("maxConnections: 10000", "maxConnections: 0"),
                bad("maxConnections: 10000", "maxConnections: 1000001"),
                ok("maxIdleConnections: 64", "maxIdleConnections: 0"),
                bad("maxIdleConnections: 64", "maxIdleConnections: -1"),
                ok("cost: 1", "cost: 1000"),
                bad("cost: 1", "cost: 0"),
                bad("cost: 1", "cost: 1001"),
                // forwarding the client certificate: a boolean, nothing else
                ok("forwardClientCert: true", "forwardClientCert: false"),
                bad("forwardClientCert: true", "forwardClientCert: \"true\""),
                bad("forwardClientCert: true", "forwardClientCert: 1"),
                bad("forwardClientCert: true", "forwardClientCert: [true]"),
                // TLS protocols: duplicates are merged, not refused
                ok("protocols: [TLSv1.3, TLSv1.2]", "protocols: [TLSv1.3]"),
                ok("protocols: [TLSv1.3, TLSv1.2]", "protocols: [TLSv1.3, TLSv1.3]"),
                bad("protocols: [TLSv1.3, TLSv1.2]", "protocols: [TLSv1.1]"),
                bad("protocols: [TLSv1.3, TLSv1.2]", "protocols: []"),
                bad("clientCa: [certs/ops-ca.pem]", "clientCa: []"),
                // path prefixes
                ok("pathPrefix: /datasets/", "pathPrefix: /"),
                ok("pathPrefix: /datasets/", "pathPrefix: /datasets/v1.2/~user@x"),
                bad("pathPrefix: /datasets/", "pathPrefix: //"),
                bad("pathPrefix: /datasets/", "pathPrefix: /a//b"),
                bad("pathPrefix: /datasets/", "pathPrefix: /datasets/./x"),
                bad("pathPrefix: /datasets/", "pathPrefix: /datasets/.."),
                bad("pathPrefix: /datasets/", "pathPrefix: /datasets/%2F"),
                bad("pathPrefix: /datasets/", "pathPrefix: /datasets;v=1"),
                bad("pathPrefix: /datasets/", "pathPrefix: /data sets"),
                bad("pathPrefix: /datasets/", "pathPrefix: datasets"),
                // methods
                ok("methods: [GET, HEAD]", "methods: [DELETE]"),
                bad("methods: [GET, HEAD]", "methods: [get]"),
                bad("methods: [GET, HEAD]", "methods: [GET, GET]"),
                bad("methods: [GET, HEAD]", "methods: []"),
                bad("methods: [GET, HEAD]", "methods: [TRACE]"),
                // scopes, per method too
                ok("POST: [annotations:write]", "POST: []"),
                bad("POST: [annotations:write]", "TRACE: [annotations:write]"),
                ok(
                        "scopes: [datasets:read, annotations:write]",
                        "scopes: [datasets:read, annotations:write, \"a/b:c.d_e-F\"]"),
                bad(
                        "scopes: [datasets:read, annotations:write]",
                        "scopes: [datasets:read, annotations:write, \"a b\"]"),
                ok("defaultScopes: [datasets:read]", "defaultScopes: []"),
                // identity rules
                ok("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/acme/\""),
                ok("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/Acme_2.x-y\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/../acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/./acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example//acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://Lab.example/vendor/acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"https://lab.example/vendor/acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"SPIFFE://lab.example/vendor/acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/%2e%2e/acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/acme?x\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/acme#x\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example:443/vendor/acme\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/vendor/acme//\""),
                ok("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://acme.example/\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://" + "a".repeat(256) + "/x\""),
                bad("\"spiffe://lab.example/vendor/acme\"", "\"spiffe://lab.example/" + "a".repeat(2048) + "\""),
                ok(SHA, SHA.toUpperCase()),
                ok(SHA, SHA.replaceAll("(..)(?!$)", "$1:")),
                bad(SHA, SHA.substring(1)),
                bad(SHA, SHA.replace('f', 'g')),
                bad("- sha256: \"" + SHA + "\"", "- { sha256: \"" + SHA + "\", spiffe: \"spiffe://lab.example/x\" }"),
                bad("- sha256: \"" + SHA + "\"", "- {}"),
                ok("{ O: \"Acme Annotation\", OU: \"labelling\" }", "{ O: 42 }"),
                bad("{ O: \"Acme Annotation\", OU: \"labelling\" }", "{ o: \"Acme Annotation\" }"),
                bad("{ O: \"Acme Annotation\", OU: \"labelling\" }", "{ O: \" \" }"),
                bad("{ O: \"Acme Annotation\", OU: \"labelling\" }", "{}"),
                // ids, names, words
                ok("- id: acme", "- id: " + "a".repeat(63)),
                ok("- id: acme", "- id: acme.v2_x-y"),
                bad("- id: acme", "- id: " + "a".repeat(64)),
                bad("- id: acme", "- id: Acme"),
                bad("- id: acme", "- id: -acme"),
                bad("name: \"Acme Annotation\"", "name: \"\""),
                bad("name: \"Acme Annotation\"", "name: \"  \""),
                ok("status: active", "status: read-only"),
                bad("status: active", "status: Active"),
                bad("status: active", "status: paused"),
                bad("role: operator", "role: root"),
                bad("routes: [dataset-read, annotation-write]", "routes: [dataset-read, dataset-read]"),
                bad("pinnedCa: [certs/acme-ca.pem]", "pinnedCa: [\"\"]"),
                // limits
                ok("requestsPerSecond: 200", "requestsPerSecond: 0.5"),
                bad("requestsPerSecond: 200", "requestsPerSecond: 0"),
                bad("requestsPerSecond: 200", "requestsPerSecond: -1"),
                bad("requestsPerSecond: 200", "requestsPerSecond: \"200\""),
                bad("requestsPerSecond: 200         # sustained rate, whole vendor", ""),
                bad("perClient: { requestsPerSecond: 50, burst: 100 }", "perClient: { burst: 100 }"),
                ok("onQuotaExceeded: cut", "onQuotaExceeded: finish"),
                bad("onQuotaExceeded: cut", "onQuotaExceeded: drop"),
                // upstreams
                ok("\"http://10.0.0.12:8080\"", "\"http://10.0.0.12:8080/\""),
                ok("\"http://10.0.0.12:8080\"", "\"http://[::1]:8080\""),
                ok("\"http://10.0.0.12:8080\"", "\"https://datasets.lab.internal\""),
                bad("\"http://10.0.0.12:8080\"", "\"http://10.0.0.12:8080/api\""),
                bad("\"http://10.0.0.12:8080\"", "\"http://10.0.0.12:8080?x=1\""),
                bad("\"http://10.0.0.12:8080\"", "\"http://user@10.0.0.12:8080\""),
                bad("\"http://10.0.0.12:8080\"", "\"ftp://10.0.0.12\""),
                bad("\"http://10.0.0.12:8080\"", "\"http://under_score:8080\""),
                bad("\"http://10.0.0.12:8080\"", "\"http://10.0.0.12:0\""),
                bad("\"https://annotations.lab.internal:8443\"", "\"http://annotations.lab.internal:8443\""),
                bad("serverName: annotations.lab.internal", "serverName: \"\""),
                // runtime sections
                ok("\"file:state/\"", "\"redis://127.0.0.1:6379\""),
                ok("\"file:state/\"", "\"rediss://redis.lab.internal:6380\""),
                bad("\"file:state/\"", "\"file:\""),
                bad("\"file:state/\"", "\"memory:\""),
                bad("failClosed: true", "failClosed: \"yes\""),
                // tokens
                bad("ttl: 10m", "ttl: 0s"),
                ok("maxLifetime: 1h ", "maxLifetime: 2h "),
                bad("maxLifetime: 1h ", "maxLifetime: 1 "),
                bad("signingKey: audit-key/audit-signing.key", "signingKey: 7"),
                ok("upstreamAssertion:", "upstreamAssertion: false\n  x-settings:"),
                bad("header: X-Gateway-Assertion", "header: \"X Gateway\""),
                bad("requireBinding: true", "requireBinding: \"true\""),
                bad("algorithms: [RS256, ES256]", "algorithms: [HS256]"),
                // tripwires
                ok("factor: 10, floor: 5GiB", "factor: 10, floor: 5368709120"),
                ok("factor: 10, floor: 5GiB", "factor: 2.5, floor: 1MiB"),
                bad("factor: 10, floor: 5GiB", "factor: 0, floor: 5GiB"),
                bad("factor: 10, floor: 5GiB", "floor: 5GiB"),
                bad("kind: bytesOut", "kind: bytes"),
                bad("action: suspend, learningPeriod: 7d", "action: block, learningPeriod: 7d"),
                ok("learningPeriod: 7d", "learningPeriod: 0"),
                bad("learningPeriod: 7d", "learningPeriod: 7"),
                bad("floor: 20000", "floor: 0"),
                bad("floor: 20000", "floor: 20KiB"),
                bad("notSeenFor: 30d", "notSeenFor: 30"),
                bad("kind: newNetwork, notSeenFor: 30d", "kind: newNetwork, factor: 2, notSeenFor: 30d"),
                bad("hours: \"07:00-20:00\"", "hours: \"7-20\""),
                bad("days: [mon, tue, wed, thu, fri]", "days: [monday]"),
                bad("      zone: Europe/Berlin\n", ""),
                ok("response: not-found", "response: upstream"),
                bad("response: not-found", "response: 404"),
                bad("paths: [/datasets/canary/]", "paths: [/datasets/../canary/]"),
                bad("paths: [/datasets/canary/]", "paths: [datasets/canary/]"),
                bad("paths: [/datasets/canary/]", "paths: [/datasets//canary/]"),
                bad("paths: [/datasets/canary/]", "paths: [/datasets/%63anary/]"),
                bad("canaries: [/datasets/acme-only/holdout-7f3a.parquet]", "canaries: [/]"),
                bad("retries: 3 }", "retries: 11 }"),
                bad("url: \"https://hooks.example/tripwires\"", "url: \"ftp://hooks.example/x\""),
                // version
                bad("version: 1 ", "version: 2 "),
                bad("version: 1 ", "version: \"1\" "));
    }

    private static Arguments ok(String from, String to) {
        return Arguments.of(from, to, true);
    }

    private static Arguments bad(String from, String to) {
        return Arguments.of(from, to, false);
    }

    @ParameterizedTest(name = "[{index}] {1} accepted={2}")
    @MethodSource("edits")
    void loaderAndSchemaAgree(String from, String to, boolean accepted) throws Exception {
        String text = Files.readString(FULL);
        assertThat(text).as("full.yaml must contain the text to change").contains(from);
        text = text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        if (to.contains("x-settings:")) {
            // switched off: drop the settings that followed the key
            text = text.replaceAll("\n  x-settings:.*\n    header: .*\n    ttl: .*\n    mode: .*", "");
        }

        assertThat(loaderErrors(text))
                .as("loader verdict on %s", to)
                .matches(e -> e.isEmpty() == accepted, accepted ? "no errors" : "errors");
        assertThat(SchemaSupport.validate(text))
                .as("schema verdict on %s", to)
                .matches(e -> e.isEmpty() == accepted, accepted ? "no errors" : "errors");
    }

    @Test
    void anEmptySectionIsAnAbsentOneForBoth() throws Exception {
        String text = Files.readString(MINIMAL) + "operators:\n";

        assertThat(loaderErrors(text)).isEmpty();
        assertThat(SchemaSupport.validate(text)).isEmpty();
    }

    /** Every map the loader reads refuses a field it does not know, and so does the schema. */
    @Test
    void everyMapRefusesAnUnknownField() throws Exception {
        JsonNode full = YAML.readTree(FULL.toFile());
        List<String> paths = new ArrayList<>();
        objectPaths(full, "", paths);
        assertThat(paths).hasSizeGreaterThan(30);

        for (String path : paths) {
            JsonNode copy = full.deepCopy();
            ((ObjectNode) at(copy, path)).put("zzUnknown", 1);
            String text = YAML.writeValueAsString(copy);

            assertThat(loaderErrors(text))
                    .as("loader, unknown field in '%s'", path)
                    .anyMatch(e -> e.path().startsWith(path.isEmpty() ? "zzUnknown" : path));
            assertThat(SchemaSupport.validate(text))
                    .as("schema, unknown field in '%s'", path)
                    .isNotEmpty();
        }
    }

    /** So that full.yaml really shows every field, and a field added to the loader reaches the schema. */
    @Test
    void fullExampleUsesEveryFieldOfTheSchema() throws Exception {
        JsonNode schema = JSON.readTree(SchemaSupport.SCHEMA.toFile());
        TreeSet<String> schemaFields = new TreeSet<>();
        schemaFields(schema, schema, "", schemaFields);
        TreeSet<String> exampleFields = new TreeSet<>();
        exampleFields(YAML.readTree(FULL.toFile()), "", exampleFields);

        assertThat(schemaFields).hasSizeGreaterThan(90);
        assertThat(exampleFields).containsAll(schemaFields);
    }

    private static List<PolicyError> loaderErrors(String text) {
        PolicyException e = catchThrowableOfType(
                PolicyException.class, () -> PolicyLoader.parse(text, "full.yaml", FULL.getParent(), false));
        return e == null ? List.of() : e.errors();
    }

    /** Paths in the loader's notation ({@code routes[1].scopes}) of every map in {@code node}. */
    private static void objectPaths(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            out.add(path);
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                objectPaths(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                objectPaths(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.isEmpty() ? new String[0] : path.split("\\.")) {
            String name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            node = node.get(name);
            for (int open = part.indexOf('['); open >= 0; open = part.indexOf('[', open + 1)) {
                node = node.get(Integer.parseInt(part.substring(open + 1, part.indexOf(']', open))));
            }
        }
        return node;
    }

    /** Field paths the schema names, {@code *} for a map key, {@code []} for list items. */
    private static void schemaFields(JsonNode root, JsonNode node, String path, TreeSet<String> out) {
        if (node.has("$ref")) {
            schemaFields(root, root.at(node.get("$ref").asText().substring(1)), path, out);
        }
        if (node.has("properties")) {
            for (Map.Entry<String, JsonNode> property : node.get("properties").properties()) {
                String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
                out.add(child);
                schemaFields(root, property.getValue(), child, out);
            }
        }
        if (node.has("items")) {
            schemaFields(root, node.get("items"), path + "[]", out);
        }
        if (node.has("additionalProperties") && node.get("additionalProperties").isObject()) {
            schemaFields(root, node.get("additionalProperties"), path + ".*", out);
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            if (node.has(combinator)) {
                node.get(combinator).forEach(branch -> schemaFields(root, branch, path, out));
            }
        }
    }

    private static void exampleFields(JsonNode node, String path, TreeSet<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = path.equals("upstreams") ? "*" : field.getKey();
                String child = path.isEmpty() ? key : path + "." + key;
                out.add(child);
                exampleFields(field.getValue(), child, out);
            }
        } else if (node.isArray()) {
            node.forEach(item -> exampleFields(item, path + "[]", out));
        }
    }
}
