package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to what vendors may do leaves a record: reloads of any source, expiries, revocations, refusals. */
class ChangeRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCertificate oncall;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        oncall = fixture.pki().pki().operator("oncall");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonNode record(Predicate<JsonNode> wanted) throws Exception {
        JsonNode record = TrailRecords.awaitAdmin(fixture.pki().dir().resolve("audit"), wanted);
        assertThat(record).as("the admin record").isNotNull();
        return record;
    }

    @Test
    void aPolicyEditPickedUpByTheFileWatcherIsRecordedWithItsHashAndWhatChanged() throws Exception {
        String edited = Files.readString(fixture.policyFile())
                .replace("    routes: [dataset-read]\n", "    routes: [dataset-read, annotation-write]\n");
        Files.writeString(fixture.policyFile(), edited);
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(fixture.policyFile())));

        JsonNode reload = record(r -> r.path("action").asText().equals("policy-reload")
                && r.path("operator").asText().equals("file-watcher"));

        assertThat(reload.path("target").asText()).isEqualTo(sha256);
        assertThat(reload.path("outcome").asText()).isEqualTo("ok");
        assertThat(reload.path("detail").asText())
                .contains("vendor globex changed")
                .contains("[dataset-read] -> [annotation-write, dataset-read]");
        assertThat(JSON.readTree(fixture.admin(oncall, "GET", "/admin/status", null)
                                .body())
                        .path("policy")
                        .path("sha256")
                        .asText())
                .isEqualTo(sha256);
    }

    @Test
    void aRefusedEditIsRecordedToo() throws Exception {
        Files.writeString(
                fixture.policyFile(),
                Files.readString(fixture.policyFile())
                        .replace("routes: [dataset-read]\n", "routes: [no-such-route]\n"));

        JsonNode reload = record(r -> r.path("action").asText().equals("policy-reload")
                && r.path("outcome").asText().equals("invalid-policy"));

        assertThat(reload.path("detail").asText()).contains("no-such-route");
    }

    @Test
    void aTimedSuspensionThatEndsIsRecorded() throws Exception {
        assertThat(fixture.admin(
                                oncall,
                                "POST",
                                "/admin/vendors/globex/suspend",
                                "{\"reason\":\"brief pause\",\"until\":\"1s\"}")
                        .statusCode())
                .isEqualTo(200);

        JsonNode expired = record(r -> r.path("action").asText().equals("suspension-expired"));

        assertThat(expired.path("target").asText()).isEqualTo("globex");
        assertThat(expired.path("reason").asText()).isEqualTo("brief pause");
        assertThat(expired.path("detail").asText()).contains("by oncall");
    }

    @Test
    void aRevocationNamesItsTargetAndARefusedCallItsReason() throws Exception {
        HttpResponse<String> revoked = fixture.admin(
                oncall,
                "POST",
                "/admin/revocations",
                "{\"kind\":\"client\",\"subject\":\"spiffe://lab.example/vendor/acme/etl\",\"reason\":\"laptop lost\"}");
        assertThat(revoked.statusCode()).isEqualTo(200);
        HttpResponse<String> refused =
                fixture.admin(oncall, "POST", "/admin/suspend-all", "{\"reason\":\"panic button\"}");
        assertThat(refused.statusCode()).isEqualTo(403);

        JsonNode revoke = record(r -> r.path("action").asText().equals("revoke"));
        assertThat(revoke.path("target").asText()).isEqualTo("spiffe://lab.example/vendor/acme/etl");
        assertThat(revoke.path("targetKind").asText()).isEqualTo("client");
        JsonNode denied = record(r -> r.path("action").asText().equals("suspend-all"));
        assertThat(denied.path("reason").asText()).isEqualTo("panic button");
        assertThat(denied.path("outcome").asText()).isEqualTo("insufficient-role");
    }
}
