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
        GatewayOptions noWatch = new GatewayOptions(0, false, false, Duration.ofSeconds(1), false, Clock.systemUTC(),
                null);
        try (GatewayFixture fixture = GatewayFixture.start(TestPki.create(dir), Policies.WITH_ADMIN, Map.of(), noWatch)) {
            IssuedCertificate root = fixture.pki().pki().operator("root");
            String before = JSON.readTree(fixture.admin(root, "GET", "/admin/status", null).body())
                    .path("policy").path("sha256").asText();
            Files.writeString(fixture.policyFile(), Files.readString(fixture.policyFile())
                    .replace("    routes: [dataset-read]\n", "    routes: [dataset-read, annotation-write]\n"));

            JsonNode dry = JSON.readTree(fixture.admin(root, "POST", "/admin/policy/reload",
                    "{\"reason\":\"try it\",\"dryRun\":true}").body());

            assertThat(dry.path("valid").asBoolean()).isTrue();
            assertThat(dry.path("changes").toString()).contains("vendor globex changed");
            JsonNode status = JSON.readTree(fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("sha256").asText()).as("nothing applied").isEqualTo(before);

            fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"apply it\"}");
            status = JSON.readTree(fixture.admin(root, "GET", "/admin/status", null).body());
            assertThat(status.path("policy").path("sha256").asText()).isEqualTo(dry.path("sha256").asText());
            assertThat(status.path("policy").path("lastReload").asText()).contains("admin-api").contains("applied");
        }
    }
}
