package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload can be tried first: what it would change, applied by nothing, and the status says what ran last. */
class ReloadDryRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        GatewayOptions noWatch =
                new GatewayOptions(0, false, false, Duration.ofSeconds(1), false, Clock.systemUTC(), null);
        try (GatewayFixture fixture =
                GatewayFixture.start(TestPki.create(dir), Policies.WITH_ADMIN, Map.of(), noWatch)) {
            IssuedCertificate root = fixture.pki().pki().operator("root");
            String before = JSON.readTree(
                            fixture.admin(root, "GET", "/admin/status", null).body())
                    .path("policy")
                    .path("sha256")
                    .asText();
            Files.writeString(
                    fixture.policyFile(),
                    Files.readString(fixture.policyFile())
                            .replace("    routes: [dataset-read]\n", "    routes: [dataset-read, annotation-write]\n"));

            JsonNode dry = JSON.readTree(
                    fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"try it\",\"dryRun\":true}")
                            .body());

            assertThat(dry.path("valid").asBoolean()).isTrue();
            assertThat(dry.path("changes").toString()).contains("vendor globex changed");
            JsonNode status = JSON.readTree(
                    fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("sha256").asText())
                    .as("nothing applied")
                    .isEqualTo(before);

            fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"apply it\"}");
            status = JSON.readTree(
                    fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("sha256").asText())
                    .isEqualTo(dry.path("sha256").asText());
            assertThat(status.path("policy").path("lastReload").asText())
                    .contains("admin-api")
                    .contains("applied");
        }
    }

    @Test
    void theStatusSaysWhenTheRunningPolicyWasLoadedAndARefusedReloadKeepsThatTime() throws Exception {
        dev.vendorgate.gateway.testing.MutableClock clock =
                new dev.vendorgate.gateway.testing.MutableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        GatewayOptions noWatch = new GatewayOptions(0, false, false, Duration.ofSeconds(1), false, clock, null);
        try (GatewayFixture fixture =
                GatewayFixture.start(TestPki.create(dir), Policies.WITH_ADMIN, Map.of(), noWatch)) {
            IssuedCertificate root = fixture.pki().pki().operator("root");
            JsonNode status = JSON.readTree(
                    fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("loadedAt").asText())
                    .isEqualTo(status.path("gateway").path("startedAt").asText());
            String good = Files.readString(fixture.policyFile());

            clock.advance(Duration.ofHours(1));
            Files.writeString(fixture.policyFile(), good + "\nnot: [valid\n");
            assertThat(fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"broken\"}")
                            .statusCode())
                    .isNotEqualTo(200);
            status = JSON.readTree(
                    fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("loadedAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(status.path("policy").path("lastReload").asText()).contains("refused");

            clock.advance(Duration.ofHours(1));
            Files.writeString(
                    fixture.policyFile(),
                    good.replace("    routes: [dataset-read]\n", "    routes: [dataset-read, annotation-write]\n"));
            assertThat(fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"fixed\"}")
                            .statusCode())
                    .isEqualTo(200);
            status = JSON.readTree(
                    fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("loadedAt").asText()).isEqualTo("2026-12-01T12:00:00Z");
        }
    }
}
