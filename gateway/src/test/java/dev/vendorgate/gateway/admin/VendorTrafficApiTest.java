package dev.vendorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures the console polls: requests per second now, last seen, and the traffic series. */
class VendorTrafficApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void vendorsShowTheRateNowAndTheSeriesHoldsRequestsBytesAndRefusals() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)).withClock(clock))) {
            IssuedCertificate viewer = fixture.pki().pki().operator("auditor");
            HttpClient acme = fixture.client(fixture.pki().vendor("acme", "worker-1"), HttpClient.Version.HTTP_1_1);
            for (int i = 0; i < 5; i++) {
                assertThat(fixture.get(acme, "/bytes/1000").statusCode()).isEqualTo(200);
            }
            assertThat(fixture.get(acme, "/nowhere").statusCode()).isEqualTo(404);
            clock.advance(Duration.ofSeconds(1));

            JsonNode vendors = JSON.readTree(
                    fixture.admin(viewer, "GET", "/admin/vendors", null).body());
            JsonNode traffic = vendors.path("vendors").get(0).path("traffic");
            assertThat(vendors.path("vendors").get(0).path("id").asText()).isEqualTo("acme");
            assertThat(traffic.path("requestsPerSecond").asDouble()).isEqualTo(0.6);
            assertThat(traffic.path("lastSeen").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(vendors.path("vendors")
                            .get(1)
                            .path("traffic")
                            .path("lastSeen")
                            .isNull())
                    .isTrue();

            JsonNode hour = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/acme/traffic?window=hour", null)
                    .body());
            assertThat(hour.path("slotSeconds").asInt()).isEqualTo(60);
            assertThat(hour.path("points")).hasSize(60);
            JsonNode now = hour.path("points").get(59);
            assertThat(now.path("start").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(now.path("requests").asLong()).isEqualTo(6);
            assertThat(now.path("bytesOut").asLong()).isGreaterThanOrEqualTo(5000);
            assertThat(now.path("refusals").size()).isEqualTo(1);

            JsonNode day = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/acme/traffic?window=day", null)
                    .body());
            assertThat(day.path("slotSeconds").asInt()).isEqualTo(900);
            assertThat(day.path("points")).hasSize(96);

            assertThat(fixture.admin(viewer, "GET", "/admin/vendors/acme/traffic?window=week", null)
                            .statusCode())
                    .isEqualTo(400);
            assertThat(fixture.admin(viewer, "GET", "/admin/vendors/nobody/traffic", null)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(fixture.admin(viewer, "POST", "/admin/vendors/acme/traffic", "{}")
                            .statusCode())
                    .isEqualTo(405);
        }
    }
}
