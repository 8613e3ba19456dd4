package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What real traffic leaves in the trail, and what happens when the trail cannot be written. */
class AuditIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void theReportAccountsForEveryRequestAndByteSent() throws Exception {
        GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
        HttpClient h1 = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        HttpClient h2 = fixture.client(acme, HttpClient.Version.HTTP_2);
        long sent = 0;
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = fixture.get(i % 2 == 0 ? h2 : h1, "/bytes/" + (1000 * i));
            assertThat(r.statusCode()).isEqualTo(200);
            sent += r.body().length();
        }
        HttpResponse<String> upload = h1.send(
                HttpRequest.newBuilder(fixture.uri("/annotations/u-1"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(300)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        sent += upload.body().length();
        assertThat(fixture.get(h1, "/models/a").statusCode()).isEqualTo(404);
        assertThat(fixture.get(h2, "/datasets/../../x").statusCode()).isEqualTo(400);
        assertThat(fixture.get(
                                fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_1_1),
                                "/datasets/g")
                        .statusCode())
                .isEqualTo(200);
        assertThat(fixture.admin(
                                fixture.pki().pki().operator("oncall"),
                                "POST",
                                "/admin/vendors/acme/suspend",
                                "{\"reason\":\"report test\"}")
                        .statusCode())
                .isEqualTo(200);
        fixture.close();

        Path audit = dir.resolve("audit");
        AuditReport report = AuditReport.build(audit, "acme", null, null);
        assertThat(report.requests()).isEqualTo(8);
        assertThat(report.allowed()).isEqualTo(6);
        assertThat(report.denied()).isEqualTo(2);
        assertThat(report.bytesOut()).isEqualTo(sent);
        assertThat(report.bytesIn()).isEqualTo(300);
        assertThat(report.routes().get("bytes").objects()).hasSize(5);
        assertThat(report.denials()).containsEntry("no-route", 1L).containsEntry("invalid-path", 1L);
        assertThat(report.clients()).containsOnlyKeys("spiffe://lab.example/vendor/acme/etl");
        assertThat(Files.readString(AuditFiles.list(audit).get(0)))
                .contains("\"type\":\"admin\"")
                .contains("\"operator\":\"oncall\"")
                .contains("\"reason\":\"report test\"");
        assertThat(AuditVerifier.verify(audit, null).problem()).isNull();
    }

    @Test
    void whenTheTrailCannotBeWrittenRequestsAreRefusedAndNothingIsLost() throws Exception {
        String policy = Policies.TWO_VENDORS + """
                audit:
                  dir: audit/
                  maxFileBytes: 1
                  checkpointInterval: 100ms
                """;
        GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                policy,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        try {
            HttpClient client = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1);
            assertThat(fixture.get(client, "/datasets/before").statusCode()).isEqualTo(200);
            Path audit = dir.resolve("audit");
            Path aside = dir.resolve("audit-aside");
            // the disk "fails": the folder the next file must be created in is gone
            Files.move(audit, aside);
            Files.writeString(audit, "not a folder");

            // requests served before the failure is noticed must still end up in the trail
            java.util.List<String> served = new java.util.ArrayList<>();
            HttpResponse<String> refused = await("requests are refused once the trail cannot be written")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> {
                                String path = "/datasets/while-failing-" + served.size();
                                HttpResponse<String> response = fixture.get(client, path);
                                if (response.statusCode() == 200) {
                                    served.add(path);
                                }
                                return response;
                            },
                            response -> response.statusCode() != 200);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("audit-unavailable");
            AuditLog log = fixture.gateway().state().audit();
            assertThat(log.healthy()).isFalse();

            Files.delete(audit);
            Files.move(aside, audit);
            waitUntil(log::healthy);
            assertThat(fixture.get(client, "/datasets/after").statusCode()).isEqualTo(200);
            fixture.close();

            AuditReport report = AuditReport.build(audit, "acme", null, null);
            assertThat(report.routes().get("dataset-read").objects())
                    .containsKeys("/datasets/before", "/datasets/after");
            served.forEach(path ->
                    assertThat(report.routes().get("dataset-read").objects()).containsKey(path));
            assertThat(AuditVerifier.verify(audit, null).problem()).isNull();
        } finally {
            fixture.close();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        await("reached in time")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
