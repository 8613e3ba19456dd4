package dev.vendorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin listener as a browser sees it: the console's files with their content types, the
 * protections on every response, and the refusal of cross-site changes, over real TLS with the
 * operator's real client certificate (which a browser would send to any request to the origin).
 */
class ConsoleSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static IssuedCertificate oncall;
    static IssuedCertificate auditor;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        oncall = fixture.pki().pki().operator("oncall");
        auditor = fixture.pki().pki().operator("auditor");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** A response read whole: status, headers (lower-case names), body. */
    record Reply(int status, Map<String, String> headers, String body) {}

    private static Reply raw(
            IssuedCertificate who, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(who), fixture.adminPort())) {
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:"
                    + fixture.adminPort() + "\r\nConnection: close\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            client.send(request.append("\r\n").toString());
            client.output().write(bytes);
            client.output().flush();
            RawHttpsClient.Head head = client.readHead();
            long length = head.contentLength();
            String text = length > 0 ? new String(client.readBody(length), StandardCharsets.UTF_8) : "";
            return new Reply(head.status(), head.headers(), text);
        }
    }

    private static String status(String vendor) throws Exception {
        return JSON.readTree(fixture.admin(auditor, "GET", "/admin/vendors/" + vendor, null)
                        .body())
                .path("status")
                .asText();
    }

    private static void assertProtected(Reply reply) {
        assertThat(reply.headers().get("content-security-policy"))
                .as("CSP")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(reply.headers())
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        assertThat(reply.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/            | text/html; charset=utf-8",
                "/index.html  | text/html; charset=utf-8",
                "/app.js      | text/javascript; charset=utf-8",
                "/vendors.js  | text/javascript; charset=utf-8",
                "/clients.js  | text/javascript; charset=utf-8",
                "/fleet.js    | text/javascript; charset=utf-8",
                "/console.css | text/css; charset=utf-8",
                "/favicon.svg | image/svg+xml",
            })
    void consoleFilesAreServedWithTheirContentTypeAndTheProtections(String path, String type) throws Exception {
        Reply reply = raw(auditor, "GET", path, Map.of(), null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("content-type", type);
        assertProtected(reply);
        if (path.equals("/")) {
            assertThat(reply.body())
                    .contains("<script type=\"module\" src=\"/app.js\"></script>")
                    .doesNotContainPattern("<script>|<script type=\"module\">|\\son[a-z]+=\"");
        }
    }

    @Test
    void apiAnswersAndErrorsCarryTheProtectionsToo() throws Exception {
        assertProtected(raw(auditor, "GET", "/admin/vendors", Map.of(), null));
        assertProtected(raw(auditor, "GET", "/nothing-here.js", Map.of(), null));
        assertProtected(raw(
                auditor,
                "POST",
                "/admin/vendors/acme/suspend",
                Map.of("Content-Type", "application/json"),
                "{\"reason\":\"viewer tries\"}"));
        Reply tooBig = raw(
                oncall,
                "POST",
                "/admin/vendors/acme/suspend",
                Map.of("Content-Type", "application/json"),
                "{\"reason\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(tooBig.status()).isEqualTo(413);
        assertProtected(tooBig);
    }

    @Test
    void aCrossSiteFormPostWithTheOperatorsCertificateSuspendsNobody() throws Exception {
        Reply reply = raw(
                oncall,
                "POST",
                "/admin/vendors/acme/suspend",
                Map.of("Origin", "https://evil.example", "Content-Type", "application/x-www-form-urlencoded"),
                "reason=pwned&mode=sever");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body()).contains("cross-site-request").contains("https://evil.example");
        assertProtected(reply);
        assertThat(status("acme")).isEqualTo("active");
        // the attempt is evidence: recorded with the operator whose browser was used
        JsonNode record = dev.vendorgate.gateway.testing.TrailRecords.awaitAdmin(
                fixture.pki().dir().resolve("audit"),
                r -> r.path("outcome").asText().equals("cross-site-request"));
        assertThat(record).as("the audit record of the refused attempt").isNotNull();
        assertThat(record.path("operator").asText()).isEqualTo("oncall");
        assertThat(record.path("action").asText()).isEqualTo("suspend");
        assertThat(record.path("target").asText()).isEqualTo("acme");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "text/plain                          | {\"reason\":\"a text/plain form carrying JSON\"}",
                "application/x-www-form-urlencoded   | {\"reason\":\"form encoding\"}",
                "multipart/form-data; boundary=x     | {\"reason\":\"multipart\"}",
            })
    void aChangeWithNeitherTheHeaderNorJsonIsRefusedEvenWithoutAnOrigin(String type, String body) throws Exception {
        Reply reply = raw(oncall, "POST", "/admin/vendors/acme/suspend", Map.of("Content-Type", type), body);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body()).contains("cross-site-request").contains("X-Vendorgate-Request");
        assertThat(status("acme")).isEqualTo("active");
    }

    @Test
    void theCustomHeaderOrJsonFromTheSameOriginMayChangeThings() throws Exception {
        String origin = "https://localhost:" + fixture.adminPort();
        Reply suspended = raw(
                oncall,
                "POST",
                "/admin/vendors/globex/suspend",
                Map.of("Origin", origin, "X-Vendorgate-Request", "1", "Content-Type", "text/plain"),
                "{\"reason\":\"header\",\"mode\":\"drain\"}");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(status("globex")).isEqualTo("suspended");

        Reply resumed = raw(
                oncall,
                "POST",
                "/admin/vendors/globex/resume",
                Map.of("Origin", origin, "Content-Type", "application/json; charset=utf-8"),
                "{\"reason\":\"json\"}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(status("globex")).isEqualTo("active");
    }

    @Test
    void anotherOriginCannotEvenReadAndNoPreflightIsGranted() throws Exception {
        Reply read = raw(auditor, "GET", "/admin/vendors", Map.of("Origin", "https://evil.example"), null);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).doesNotContain("acme");

        Reply preflight = raw(
                oncall,
                "OPTIONS",
                "/admin/vendors/acme/suspend",
                Map.of(
                        "Origin",
                        "https://evil.example",
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "x-vendorgate-request"),
                null);
        assertThat(preflight.status()).isEqualTo(403);
        assertProtected(preflight);

        Reply sameOriginPreflight = raw(
                oncall,
                "OPTIONS",
                "/admin/vendors/acme/suspend",
                Map.of("Access-Control-Request-Method", "POST"),
                null);
        assertThat(sameOriginPreflight.status()).isEqualTo(405);
        assertProtected(sameOriginPreflight);
        assertThat(status("acme")).isEqualTo("active");
    }

    @Test
    void whoamiTellsThePageItsRole() throws Exception {
        JsonNode me = JSON.readTree(
                fixture.admin(auditor, "GET", "/admin/whoami", null).body());
        assertThat(me.path("operator").asText()).isEqualTo("auditor");
        assertThat(me.path("role").asText()).isEqualTo("viewer");
        assertThat(JSON.readTree(fixture.admin(oncall, "GET", "/admin/whoami", null)
                                .body())
                        .path("role")
                        .asText())
                .isEqualTo("operator");
    }
}
