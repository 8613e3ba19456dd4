package dev.vendorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API's contract: roles, validation, errors as problems, and what it reports. */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static Map<String, IssuedCertificate> operators;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        operators = Map.of(
                "root", fixture.pki().pki().operator("root"),
                "oncall", fixture.pki().pki().operator("oncall"),
                "auditor", fixture.pki().pki().operator("auditor"),
                "stranger", fixture.pki().pki().operator("stranger"),
                "vendor", fixture.pki().vendor("acme", null));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static HttpResponse<String> call(String who, String method, String path, String body) throws Exception {
        return fixture.admin(operators.get(who), method, path, body);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "auditor | GET  | /admin/status               | 200",
                "auditor | GET  | /admin/vendors              | 200",
                "auditor | GET  | /admin/vendors/acme         | 200",
                "auditor | POST | /admin/vendors/acme/suspend | 403",
                "oncall  | POST | /admin/suspend-all          | 403",
                "oncall  | POST | /admin/policy/reload        | 403",
                "stranger| GET  | /admin/status               | 401",
                "vendor  | GET  | /admin/vendors              | 401",
            })
    void rolesDecideWhoMayDoWhat(String who, String method, String path, int status) throws Exception {
        HttpResponse<String> response = call(who, method, path, method.equals("POST") ? "{\"reason\":\"test\"}" : null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status >= 400) {
            assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        }
    }

    @Test
    void noClientCertificateIsRefusedAtTheHandshake() {
        HttpClient anonymous = fixture.client(null, HttpClient.Version.HTTP_1_1);

        assertThatThrownBy(() -> anonymous.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + fixture.adminPort() + "/admin/status"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``                                         | 400 | A reason is required",
                "{}                                         | 400 | A reason is required",
                "{\"reason\":\"  \"}                        | 400 | 'reason' must be a non-empty string",
                "{\"reason\":7}                             | 400 | 'reason' must be a non-empty string",
                "{\"reason\":\"x\",\"mode\":\"nuke\"}       | 400 | 'mode' must be sever or drain",
                "{\"reason\":\"x\",\"until\":\"yesterday\"} | 400 | 'until' must be an ISO-8601 time",
                "{\"reason\":\"x\",\"until\":\"2020-01-01T00:00:00Z\"} | 400 | 'until' is in the past",
                "{\"reason\":\"x\",\"force\":true}          | 400 | Unknown field 'force'",
                "{\"reason\":\"x\",\"reason\":\"y\"}        | 400 | not valid JSON",
                "[1,2]                                      | 400 | must be a JSON object",
                "{\"reason\":                               | 400 | not valid JSON",
            })
    void badBodiesAreRefusedWith400AndChangeNothing(String body, int status, String message) throws Exception {
        HttpResponse<String> response = call("oncall", "POST", "/admin/vendors/acme/suspend", body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains(message);
        assertThat(JSON.readTree(call("auditor", "GET", "/admin/vendors/acme", null)
                                .body())
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String huge = "{\"reason\":\"" + "x".repeat(70_000) + "\"}";

        assertThat(call("oncall", "POST", "/admin/vendors/acme/suspend", huge).statusCode())
                .isEqualTo(413);
    }

    @Test
    void unknownVendorIs404AndUnknownPathIs404AndWrongMethodIs405() throws Exception {
        assertThat(call("oncall", "POST", "/admin/vendors/nobody/suspend", "{\"reason\":\"x\"}")
                        .body())
                .contains("unknown-vendor");
        assertThat(call("auditor", "GET", "/admin/vendors/nobody", null).statusCode())
                .isEqualTo(404);
        assertThat(call("auditor", "GET", "/admin/nothing", null).statusCode()).isEqualTo(404);
        assertThat(call("auditor", "DELETE", "/admin/vendors", null).statusCode())
                .isEqualTo(405);
    }

    @Test
    void conflictingStateIs409() throws Exception {
        assertThat(call("oncall", "POST", "/admin/vendors/globex/resume", "{\"reason\":\"x\"}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(call("oncall", "POST", "/admin/vendors/globex/suspend", "{\"reason\":\"x\",\"until\":\"1h\"}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> again = call("oncall", "POST", "/admin/vendors/globex/suspend", "{\"reason\":\"y\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already suspended").contains("by oncall");
        JsonNode vendor = JSON.readTree(
                call("auditor", "GET", "/admin/vendors/globex", null).body());
        assertThat(vendor.path("suspension").path("reason").asText()).isEqualTo("x");
        assertThat(vendor.path("suspension").path("until").asText()).isNotEmpty();
        assertThat(call("oncall", "POST", "/admin/vendors/globex/resume", "{\"reason\":\"done\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void vendorsShowUsageAgainstTheirLimits() throws Exception {
        fixture.get(fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1), "/bytes/5000");

        JsonNode usage = JSON.readTree(
                        call("auditor", "GET", "/admin/vendors/acme", null).body())
                .path("usage");

        assertThat(usage.path("bytesOut").path("used").asLong()).isGreaterThanOrEqualTo(5000);
        assertThat(usage.path("bytesOut").path("limit").isNull())
                .as("no quota set: null, not 0")
                .isTrue();
        assertThat(usage.path("bytesOut").path("resetsAt").asText()).endsWith("T00:00:00Z");
        assertThat(usage.path("inFlight").path("used").asInt()).isZero();
        assertThat(usage.has("rate")).isTrue();
    }

    @Test
    void statusReportsTheGateway() throws Exception {
        JsonNode status =
                JSON.readTree(call("auditor", "GET", "/admin/status", null).body());

        assertThat(status.path("policy").path("vendors").asInt()).isEqualTo(2);
        assertThat(status.path("controlStore").path("healthy").asBoolean()).isTrue();
        assertThat(status.path("audit").path("healthy").asBoolean()).isTrue();
        assertThat(status.path("global").path("suspended").asBoolean()).isFalse();
        assertThat(status.path("gateway").path("uptimeSeconds").asLong()).isNotNegative();
    }

    @Test
    void anInvalidPolicyIsRefusedWithItsErrorsAndTheRunningOneStays() throws Exception {
        String good = Files.readString(fixture.policyFile());
        try {
            Files.writeString(fixture.policyFile(), good.replace("upstream: data", "upstream: nowhere"));

            HttpResponse<String> reload = call("root", "POST", "/admin/policy/reload", "{\"reason\":\"try\"}");

            assertThat(reload.statusCode()).isEqualTo(422);
            JsonNode problem = JSON.readTree(reload.body());
            assertThat(problem.path("type").asText()).isEqualTo("urn:vendorgate:problem:invalid-policy");
            assertThat(problem.path("errors").get(0).asText()).contains("unknown upstream 'nowhere'");
            assertThat(fixture.get(
                                    fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1),
                                    "/datasets/still-served")
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            Files.writeString(fixture.policyFile(), good);
        }
    }
}
