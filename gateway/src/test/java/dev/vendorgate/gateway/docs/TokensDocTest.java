package dev.vendorgate.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the examples of docs/tokens.md (the blocks marked {@code <!-- example: NAME -->}) with curl
 * and python3 against a running gateway with real certificates, as a vendor engineer on a
 * corporate image would: {@code REQUESTS_CA_BUNDLE}, {@code CURL_CA_BUNDLE} and
 * {@code SSL_CERT_FILE} point to a bundle of an unrelated CA. The only change made to a block is
 * the gateway's address ({@code https://gateway.lab.example} becomes the test gateway's).
 */
class TokensDocTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC_GATEWAY = "https://gateway.lab.example";
    private static final String PART = "/datasets/images-2026/part-0001.tar";

    /** acme has no limits; globex and hooli may make one request per second, so their second is refused 429. */
    private static final String POLICY = """
            version: 1
            listeners:
              vendor:
                bind: "127.0.0.1:0"
                tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
            tokens:
              issuer: "https://gateway.test"
              audience: lab-data
              ttl: 5m
              signingKeys: keys/
            upstreams:
              data: { url: "http://127.0.0.1:${UPSTREAM_PORT}" }
            routes:
              - { id: dataset-read, pathPrefix: /datasets, methods: [GET, HEAD], upstream: data, scopes: [datasets:read] }
            vendors:
              - id: acme
                identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                routes: [dataset-read]
                scopes: [datasets:read, annotations:write]
              - id: globex
                identities: [ { spiffe: "spiffe://lab.example/vendor/globex" } ]
                routes: [dataset-read]
                scopes: [datasets:read]
                limits: { requestsPerSecond: 1, burst: 1 }
              - id: hooli
                identities: [ { spiffe: "spiffe://lab.example/vendor/hooli" } ]
                routes: [dataset-read]
                scopes: [datasets:read]
                limits: { requestsPerSecond: 1, burst: 1 }
            """;

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static DocExamples examples;
    static Path unrelatedBundle;

    @BeforeAll
    static void start() throws Exception {
        examples = DocExamples.read(DocExamples.docs().resolve("tokens.md"));
        fixture = GatewayFixture.start(
                TestPki.create(dir.resolve("gateway")),
                POLICY,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        Path corporate = Files.createDirectories(dir.resolve("corporate"));
        DevPki.create("corp.example").writeCa(corporate);
        unrelatedBundle = corporate.resolve("ca.pem");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theTokenRequestWithCurlGivesAToken() throws Exception {
        Run run = run("token-curl", vendor("acme"), Map.of());

        JsonNode body = JSON.readTree(run.stdout());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("scope").asText()).isEqualTo("datasets:read annotations:write");
        assertThat(body.path("access_token").asText()).startsWith("eyJ");
    }

    @Test
    void usingTheTokenWithCurlReadsTheObject() throws Exception {
        Path work = vendor("acme");
        String token = token(work);

        Run run = run("use-curl", work, Map.of("TOKEN", token));

        assertThat(run.stdout()).isEqualTo("ok GET " + PART);
    }

    @Test
    void thePythonExampleDownloadsWaitingOutA429() throws Exception {
        Path work = vendor("globex");

        // its token request takes globex's one request of this second, so the download is refused once
        Run run = run("python", work, Map.of());

        assertThat(Files.readString(work.resolve("part-0001.tar"))).isEqualTo("ok GET " + PART);
        assertThat(run.stderr()).contains("429: Vendor 'globex' may make", "requests per second", "retrying in 1s");
    }

    @Test
    void thePythonRequestsExampleGetsAToken() throws Exception {
        assumeTrue(succeeds("python3", "-c", "import requests"), "python3 has no requests module here");

        Run run = run("python-requests", vendor("acme"), Map.of());

        assertThat(run.stdout()).isEqualTo("200 Bearer\n");
    }

    @Test
    void theCurlRetryLoopHonoursRetryAfterAndSaysWhy() throws Exception {
        Path work = vendor("hooli");
        String token = token(work); // takes hooli's one request of this second

        Run run = run("retry-curl", work, Map.of("TOKEN", token));

        assertThat(run.stderr()).contains("429: Vendor 'hooli' may make", "retrying in 1s");
        assertThat(Files.readString(work.resolve("body.json"))).isEqualTo("ok GET /datasets/train/part-0001");
    }

    /** A working folder holding what the docs name: acme.pem and acme.key (a certificate of {@code vendor}), gateway-ca.pem. */
    private static Path vendor(String vendor) throws IOException {
        Path work = Files.createTempDirectory(dir, vendor);
        IssuedCertificate certificate = fixture.pki().vendor(vendor, null);
        certificate.writePem(work.resolve("acme.pem"), work.resolve("acme.key"));
        Files.copy(fixture.pki().dir().resolve("ca.pem"), work.resolve("gateway-ca.pem"));
        CERTIFICATES.put(work, certificate);
        return work;
    }

    private static final Map<Path, IssuedCertificate> CERTIFICATES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token for the certificate in {@code work}, got by the JDK's client. */
    private static String token(Path work) throws Exception {
        IssuedCertificate certificate = CERTIFICATES.get(work);
        HttpResponse<String> response = fixture.client(certificate, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    record Run(String stdout, String stderr) {}

    /** Runs example {@code name} in {@code work}; it must exit 0. */
    private static Run run(String name, Path work, Map<String, String> env) throws Exception {
        DocExamples.Example example = examples.get(name);
        String code = example.code().replace(DOC_GATEWAY, "https://localhost:" + fixture.port());
        assertThat(code).as("example '%s' talks to %s", name, DOC_GATEWAY).isNotEqualTo(example.code());
        List<String> command = switch (example.language()) {
            case "sh" -> List.of("bash", "example.sh");
            case "python" -> List.of("python3", "example.py");
            default -> throw new AssertionError("example '" + name + "': no runner for " + example.language());
        };
        String tool = example.language().equals("sh") ? "curl" : "python3";
        assumeTrue(succeeds(tool, "--version"), tool + " is not installed: the example '" + name + "' was not run");
        Files.writeString(work.resolve(command.get(1)), code);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(work.resolve("stdout.txt").toFile())
                .redirectError(work.resolve("stderr.txt").toFile());
        builder.environment().putAll(env);
        // a corporate image's trust settings, which must not change whom the examples trust
        builder.environment().put("REQUESTS_CA_BUNDLE", unrelatedBundle.toString());
        builder.environment().put("CURL_CA_BUNDLE", unrelatedBundle.toString());
        builder.environment().put("SSL_CERT_FILE", unrelatedBundle.toString());
        Process process = builder.start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        Run run = new Run(
                Files.readString(work.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(work.resolve("stderr.txt"), StandardCharsets.UTF_8));
        assertThat(ended)
                .as("example '%s' ended within 60 s; stderr:\n%s", name, run.stderr())
                .isTrue();
        assertThat(process.exitValue())
                .as("example '%s' exit code; stdout:\n%s\nstderr:\n%s", name, run.stdout(), run.stderr())
                .isZero();
        return run;
    }

    private static boolean succeeds(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
