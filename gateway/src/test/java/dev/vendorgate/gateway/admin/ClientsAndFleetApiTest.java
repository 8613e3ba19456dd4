package dev.vendorgate.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console's vendor page and fleet view read: a vendor's clients and certificates with
 * first and last seen ({@code /admin/vendors/ID/clients}), and the fleet ({@code /admin/fleet}),
 * which a gateway on its own journal answers with itself.
 */
class ClientsAndFleetApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aVendorsClientsAreListedWithTheirFingerprintAndFirstAndLastSeen() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)).withClock(clock))) {
            IssuedCertificate viewer = fixture.pki().pki().operator("auditor");
            IssuedCertificate worker1 = fixture.pki().vendor("acme", "worker-1");
            IssuedCertificate worker2 = fixture.pki().vendor("acme", "worker-2");
            RawHttpsClient first = new RawHttpsClient(fixture.pki().clientContext(worker1), fixture.port());
            first.send("GET /bytes/10 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(first.readHead().status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(5));
            HttpClient second = fixture.client(worker2, HttpClient.Version.HTTP_1_1);
            assertThat(fixture.get(second, "/bytes/10").statusCode()).isEqualTo(200);
            assertThat(fixture.get(second, "/bytes/10").statusCode()).isEqualTo(200);

            JsonNode answer = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/acme/clients", null)
                    .body());
            assertThat(answer.path("vendor").asText()).isEqualTo("acme");
            assertThat(answer.path("limit").asInt()).isEqualTo(1000);
            assertThat(answer.path("node").asText()).isNotEmpty();
            JsonNode clients = answer.path("clients");
            assertThat(clients).hasSize(2);
            // most recently seen first; one connection each, however many requests it carried
            JsonNode latest = clients.get(0);
            assertThat(latest.path("sha256").asText()).isEqualTo(worker2.sha256Fingerprint());
            assertThat(latest.path("clientId").asText()).contains("acme").contains("worker-2");
            assertThat(latest.path("firstSeen").asText()).isEqualTo("2026-12-01T10:05:00Z");
            assertThat(latest.path("connections").asLong()).isEqualTo(1);
            assertThat(latest.path("open").asInt()).isEqualTo(1);
            assertThat(latest.path("notAfter").asText())
                    .isEqualTo(worker2.certificate().getNotAfter().toInstant().toString());
            assertThat(clients.get(1).path("sha256").asText()).isEqualTo(worker1.sha256Fingerprint());
            assertThat(clients.get(1).path("firstSeen").asText()).isEqualTo("2026-12-01T10:00:00Z");

            // globex has not connected; an unknown vendor is a 404; the list is read-only
            JsonNode globex = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/globex/clients", null)
                    .body());
            assertThat(globex.path("clients")).isEmpty();
            assertThat(fixture.admin(viewer, "GET", "/admin/vendors/nobody/clients", null)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(fixture.admin(viewer, "POST", "/admin/vendors/acme/clients", "{}")
                            .statusCode())
                    .isEqualTo(405);

            // a closed connection's last seen is when it closed
            clock.advance(Duration.ofMinutes(1));
            first.close();
            Awaitility.await("worker-1's connection is closed")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/acme/clients", null)
                                            .body())
                                    .path("clients")
                                    .get(0)
                                    .path("open")
                                    .asInt()
                            == 0);
            JsonNode closed = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/acme/clients", null)
                            .body())
                    .path("clients")
                    .get(0);
            assertThat(closed.path("sha256").asText()).isEqualTo(worker1.sha256Fingerprint());
            assertThat(closed.path("lastSeen").asText()).isEqualTo("2026-12-01T10:06:00Z");
        }
    }

    @Test
    void aSingleGatewaysFleetIsItself() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)).withClock(clock))) {
            IssuedCertificate viewer = fixture.pki().pki().operator("auditor");
            JsonNode fleet = JSON.readTree(
                    fixture.admin(viewer, "GET", "/admin/fleet", null).body());
            assertThat(fleet.path("mode").asText()).isEqualTo("single");
            assertThat(fleet.path("reachable").asBoolean()).isTrue();
            assertThat(fleet.path("nodes")).hasSize(1);
            JsonNode self = fleet.path("nodes").get(0);
            assertThat(self.path("node").asText()).isEqualTo(fleet.path("self").asText());
            assertThat(self.path("self").asBoolean()).isTrue();
            assertThat(self.path("lastHeartbeat").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(fleet.path("changes")).isEmpty();
            assertThat(fixture.admin(viewer, "POST", "/admin/fleet", "{}").statusCode())
                    .isEqualTo(405);
        }
    }
}
