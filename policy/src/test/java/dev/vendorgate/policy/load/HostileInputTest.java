package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the text, the loader answers with a {@link PolicyException} listing what is wrong,
 * never another exception: {@code gateway check} and a reload must be able to print it.
 */
class HostileInputTest {

    private static final String LISTENERS = """
            listeners:
              vendor:
                bind: "127.0.0.1:8443"
                tls: { cert: s.pem, key: s.key, clientCa: [ca.pem] }
            """;
    private static final String VENDOR = LISTENERS + """
            vendors:
              - id: acme
                identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
            """;

    static Stream<String> texts() {
        return Stream.of(
                "",
                "   \n\n",
                "# only a comment\n",
                "---\n",
                "~\n",
                "just a string\n",
                "- a\n- b\n",
                "42\n",
                "a: 1\n---\nb: 2\n",
                "listeners: []\n",
                "listeners:\n\tvendor: {}\n",
                "listeners: {vendor: {bind: \"[::1\", tls: 5}}\n",
                "? [a, b]\n: c\n",
                "? \n: x\n",
                "listeners: !!binary aGVsbG8=\n",
                "routes: !!set {a, b}\n",
                "a: &x [1, 2]\nb: *x\n",
                "a: " + "[".repeat(200) + "]".repeat(200) + "\n",
                "a: \"\u0000\"\n",
                "\u0000\n",
                "version: 99999999999999999999999\n",
                "version: 1e400\n",
                "version: .nan\n",
                "version: 0x1F\n",
                "version: 1:30\n",
                "upstreams: {'': {url: \"http://h:1\"}}\n" + LISTENERS,
                "upstreams: {\"a\\u0000\": {url: \"http://h:1\"}}\n" + LISTENERS,
                "upstreams: {a: {url: \"http://[::1\"}}\n" + LISTENERS,
                "upstreams: {a: {url: \"http://h:99999999999\"}}\n" + LISTENERS,
                "controlStore: \"redis://[\"\n" + LISTENERS,
                "audit: {dir: \"a\\u0000b\"}\n" + LISTENERS,
                "routes: [{id: r, pathPrefix: \"/\\u0000\", methods: [GET], upstream: u}]\n" + LISTENERS,
                VENDOR + "    pinnedCa: [\"a\\u0000b\"]\n",
                VENDOR + "    limits: {requestsPerSecond: .inf, burst: -.inf, maxConcurrent: 1e3}\n",
                VENDOR + "    limits: {bytesOutPerDay: 99999999999999999999999999999999999999999999TiB}\n",
                VENDOR + "    limits: {bytesOutPerDay: 8EiB, bytesInPerDay: true}\n",
                VENDOR + "    identities: [{subject: {CN: [a, b]}}]\n",
                VENDOR.replace("spiffe://lab.example/vendor/acme", "spiffe://"),
                VENDOR.replace("spiffe://lab.example/vendor/acme", "spiffe:///x"),
                VENDOR.replace("spiffe://lab.example/vendor/acme", ""),
                LISTENERS
                        + "tokens: {issuer: \"https://\", audience: a, trustedIssuers: [{issuer: i, jwks: \"https://[\", "
                        + "algorithms: [ES256]}]}\n",
                LISTENERS + "tokens: {issuer: \"https://g\", audience: a, upstreamAssertion: 5}\n",
                LISTENERS.replace("127.0.0.1:8443", "127.0.0.1:٨٤٤٣"),
                "x".repeat(YamlReader.MAX_DOCUMENT_CHARS + 10));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void onlyEverAPolicyExceptionWithErrors(String text) {
        Throwable thrown = catchThrowable(() -> PolicyLoader.parse(text, "p.yaml", Path.of("."), true));

        assertThat(thrown).isInstanceOf(PolicyException.class);
        List<PolicyError> errors = ((PolicyException) thrown).errors();
        assertThat(errors).isNotEmpty().allSatisfy(e -> {
            assertThat(e.file()).isEqualTo("p.yaml");
            assertThat(e.message()).isNotBlank();
        });
    }

    @Test
    void aTextOverTheLimitIsRefusedForItsSizeAndOneAtTheLimitIsRead() throws Exception {
        // before the size check, the parser read 4 MiB of one scalar for seconds before refusing it
        Throwable thrown = catchThrowable(() -> PolicyLoader.parse(
                VENDOR + "#" + "x".repeat(YamlReader.MAX_DOCUMENT_CHARS), "p.yaml", Path.of("."), false));
        assertThat(thrown).isInstanceOf(PolicyException.class);
        assertThat(((PolicyException) thrown).errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("longer than 1048576 characters"));

        String padded = VENDOR + "#" + "x".repeat(YamlReader.MAX_DOCUMENT_CHARS - VENDOR.length() - 2) + "\n";
        assertThat(padded).hasSize(YamlReader.MAX_DOCUMENT_CHARS);
        assertThat(PolicyLoader.parse(padded, "p.yaml", Path.of("."), false).vendors())
                .hasSize(1);
    }

    @Test
    void anEmptyValueIsAnAbsentField() throws Exception {
        Policy policy = PolicyLoader.parse(
                LISTENERS + "upstreams:\nroutes:\nvendors:\noperators:\n", "p.yaml", Path.of("."), false);

        assertThat(policy.routes()).isEmpty();
        assertThat(policy.vendors()).isEmpty();
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsAreFine() throws Exception {
        Policy policy = PolicyLoader.parse("\uFEFF" + VENDOR.replace("\n", "\r\n"), "p.yaml", Path.of("."), false);

        assertThat(policy.vendors()).hasSize(1);
    }

    @Test
    void errorsInOneLineAreSortedByColumn() {
        PolicyException e = (PolicyException) catchThrowable(() -> PolicyLoader.parse(
                VENDOR + "    limits: {maxConcurrent: 0, requestsPerSecond: 0, burst: 0}\n",
                "p.yaml",
                Path.of("."),
                false));

        assertThat(e.errors()).extracting(PolicyError::column).isSorted().hasSize(3);
        assertThat(e.getMessage()).startsWith("3 errors in policy:\n  p.yaml:8:");
    }
}
