package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises of the kill switch and the limits under an attacker's and a careless operator's
 * hands: a suspension no concurrent call can loosen, no connection it cannot see, bad admin
 * input answered and recorded, and no client that can spend its vendor's shared rate.
 */
class ControlPlaneIntegrityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    GatewayFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private GatewayFixture start(String policy) {
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                policy,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        return fixture;
    }

    private JsonNode vendor(IssuedCertificate operator, String id) throws Exception {
        return JSON.readTree(
                fixture.admin(operator, "GET", "/admin/vendors/" + id, null).body());
    }

    /** The admin records in the trail, once {@code present} matches one (the trail is written off the request path). */
    private List<JsonNode> adminRecords(java.util.function.Predicate<JsonNode> present) throws Exception {
        Path audit = fixture.pki().dir().resolve("audit");
        TrailRecords.awaitAdmin(audit, present);
        return TrailRecords.of(audit, "admin");
    }

    @Test
    void concurrentSuspendsNeverLeaveAFullSuspensionReadOnly() throws Exception {
        start(Policies.WITH_ADMIN);
        IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
        // twenty operators' sessions, connected and handshaken ahead, so that the calls truly meet
        List<HttpClient> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sessions.add(fixture.adminClient(oncall));
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(20);
        for (int round = 0; round < 6; round++) {
            for (HttpClient session : sessions) {
                assertThat(send(session, "GET", "/admin/status", null).statusCode())
                        .isEqualTo(200);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = i % 2 == 0
                        ? "{\"reason\":\"full " + i + "\"}"
                        : "{\"reason\":\"ro " + i + "\",\"readOnly\":true}";
                HttpClient session = sessions.get(i);
                calls.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                                return send(session, "POST", "/admin/vendors/acme/suspend", body);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        callers));
            }
            go.countDown();
            boolean fullConfirmed = false;
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isIn(200, 409);
                if (response.statusCode() == 200) {
                    fullConfirmed |= JSON.readTree(response.body())
                            .path("status")
                            .asText()
                            .equals("suspended");
                }
            }

            String status = vendor(oncall, "acme").path("status").asText();
            assertThat(fullConfirmed)
                    .as("round %d: some full suspension was confirmed", round)
                    .isTrue();
            assertThat(status)
                    .as("round %d: a confirmed full suspension holds", round)
                    .isEqualTo("suspended");
            assertThat(fixture.get(
                                    fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1),
                                    "/datasets/after-" + round)
                            .statusCode())
                    .isEqualTo(403);
            assertThat(fixture.admin(oncall, "POST", "/admin/vendors/acme/resume", "{\"reason\":\"next round\"}")
                            .statusCode())
                    .isEqualTo(200);
        }
        callers.shutdown();
    }

    private HttpResponse<String> send(HttpClient session, String method, String path, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://localhost:" + fixture.adminPort() + path))
                .timeout(Duration.ofSeconds(30));
        request = body == null
                ? request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                : request.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json");
        return session.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConnectionOpenedBeforeItsVendorWasInThePolicyIsCutBySuspension() throws Exception {
        String unknownAcme = Policies.WITH_ADMIN.replace(
                "spiffe://lab.example/vendor/acme\"", "spiffe://lab.example/vendor/acme-later\"");
        start(unknownAcme);
        IssuedCertificate acme = fixture.pki().vendor("acme", null);
        IssuedCertificate root = fixture.pki().pki().operator("root");
        try (RawHttpsClient early = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            // the handshake is done and acme matches no vendor yet; now the policy learns of acme
            Files.writeString(
                    fixture.policyFile(),
                    Files.readString(fixture.policyFile())
                            .replace("spiffe://lab.example/vendor/acme-later\"", "spiffe://lab.example/vendor/acme\""));
            HttpResponse<String> reload =
                    fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"add acme\"}");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);

            early.send("GET /bytes/" + (256L * 1024 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(early.readHead().status()).isEqualTo(200);
            InputStream body = early.input();
            long received = body.readNBytes(64 * 1024).length;

            HttpResponse<String> suspended =
                    fixture.admin(root, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"leak\"}");

            assertThat(suspended.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(suspended.body())
                            .path("closed")
                            .path("connections")
                            .asInt())
                    .as("the early connection is found under the vendor it serves")
                    .isEqualTo(1);
            byte[] chunk = new byte[64 * 1024];
            int n;
            try {
                while ((n = body.read(chunk)) > 0) {
                    received += n;
                }
            } catch (java.io.IOException reset) {
                // cut with a reset: as good as a close
            }
            assertThat(received).as("the download was cut").isLessThan(256L * 1024 * 1024);
        }
    }

    @Test
    void anOutOfRangeExpiryIsA400WithASentenceAndAnAuditRecord() throws Exception {
        start(Policies.WITH_ADMIN);
        IssuedCertificate oncall = fixture.pki().pki().operator("oncall");

        HttpResponse<String> response = fixture.admin(
                oncall,
                "POST",
                "/admin/vendors/acme/suspend",
                "{\"reason\":\"typo in until\",\"until\":\"999999999999d\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .contains("until")
                .contains("days ahead");
        assertThat(adminRecords(r -> "typo in until".equals(r.path("reason").asText())))
                .anyMatch(r -> r.path("action").asText().equals("suspend")
                        && r.path("outcome").asText().equals("bad-request")
                        && r.path("operator").asText().equals("oncall"));
        assertThat(vendor(oncall, "acme").path("status").asText()).isEqualTo("active");
    }

    @Test
    void aChangeAttemptedWithACertificateOfNoOperatorIsAudited() throws Exception {
        start(Policies.WITH_ADMIN);
        IssuedCertificate stranger = fixture.pki().pki().operator("stranger");

        HttpResponse<String> response =
                fixture.admin(stranger, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"let me in\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(adminRecords(r -> "let me in".equals(r.path("reason").asText())))
                .anyMatch(r -> r.path("operator").asText().contains("spiffe://lab.example/ops/stranger")
                        && r.path("role").asText().equals("none")
                        && r.path("outcome").asText().equals("unknown-operator")
                        && r.path("action").asText().equals("suspend"));
    }

    @Test
    void aClientRefusedByItsOwnLimitDoesNotSpendItsVendorsRate() throws Exception {
        start(
                Policies.WITH_ADMIN.replace(
                        "    routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n",
                        "    routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n"
                                + "    limits: { requestsPerSecond: 0.05, burst: 4, perClient: { requestsPerSecond: 0.05, burst: 1 } }\n"));
        HttpClient noisy = fixture.client(fixture.pki().vendor("acme", "noisy"), HttpClient.Version.HTTP_1_1);
        HttpClient quiet = fixture.client(fixture.pki().vendor("acme", "quiet"), HttpClient.Version.HTTP_1_1);

        assertThat(fixture.get(noisy, "/datasets/1").statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(fixture.get(noisy, "/datasets/again").statusCode())
                    .as("its own limit")
                    .isEqualTo(429);
        }

        HttpResponse<String> response = fixture.get(quiet, "/datasets/2");
        assertThat(response.statusCode())
                .as("the vendor's rate has room for the quiet client: " + response.body())
                .isEqualTo(200);
    }
}
