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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/vendors/ID/tokens}: the tokens the gateway issued to a vendor lately, newest
 * first, by id (never the token), each with whether the gateway would accept it now.
 */
class IssuedTokensApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WITH_TOKENS = Policies.WITH_ADMIN
            .replace(
                    "\nupstreams:\n",
                    "\ntokens: { issuer: \"https://gateway.test\", audience: lab-data, ttl: 5m }\n" + "upstreams:\n")
            .replace(
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n    scopes: [datasets:read]");

    @TempDir
    Path dir;

    @Test
    void aVendorsTokensAreListedByIdWithWhetherEachIsStillAccepted() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                WITH_TOKENS,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)).withClock(clock))) {
            IssuedCertificate viewer = fixture.pki().pki().operator("auditor");
            IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
            HttpClient worker1 = fixture.client(fixture.pki().vendor("acme", "worker-1"), HttpClient.Version.HTTP_1_1);
            HttpClient worker2 = fixture.client(fixture.pki().vendor("acme", "worker-2"), HttpClient.Version.HTTP_1_1);
            String first = jti(token(fixture, worker1));
            clock.advance(Duration.ofSeconds(10));
            String second = jti(token(fixture, worker1));
            clock.advance(Duration.ofSeconds(10));
            String third = jti(token(fixture, worker2));

            JsonNode tokens = tokens(fixture, viewer);
            assertThat(tokens).extracting(t -> t.path("jti").asText()).containsExactly(third, second, first);
            JsonNode newest = tokens.get(0);
            assertThat(newest.path("clientId").asText()).isEqualTo("spiffe://lab.example/vendor/acme/worker-2");
            assertThat(newest.path("scope").asText()).isEqualTo("datasets:read");
            assertThat(newest.path("issuedAt").asText()).isEqualTo("2026-12-01T10:00:20Z");
            assertThat(newest.path("expiresAt").asText()).isEqualTo("2026-12-01T10:05:20Z");
            assertThat(tokens).extracting(t -> t.path("status").asText()).containsOnly("valid");
            assertThat(tokens.toString()).doesNotContain("access_token").doesNotContain("eyJ");

            // one token by id, then worker-2's tokens: only those are revoked
            assertThat(fixture.admin(
                                    oncall,
                                    "POST",
                                    "/admin/revocations",
                                    "{\"kind\":\"token\",\"subject\":\"" + first + "\",\"reason\":\"leaked in a log\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(fixture.admin(
                                    oncall,
                                    "POST",
                                    "/admin/revocations",
                                    "{\"kind\":\"client\",\"subject\":"
                                            + "\"spiffe://lab.example/vendor/acme/worker-2\",\"reason\":\"host wiped\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(tokens(fixture, viewer))
                    .extracting(
                            t -> t.path("jti").asText() + " " + t.path("status").asText())
                    .containsExactly(third + " revoked", second + " valid", first + " revoked");

            clock.advance(Duration.ofMinutes(5));
            assertThat(tokens(fixture, viewer).get(1).path("status").asText()).isEqualTo("expired");

            JsonNode globex = JSON.readTree(fixture.admin(viewer, "GET", "/admin/vendors/globex/tokens", null)
                    .body());
            assertThat(globex.path("tokens")).isEmpty();
            assertThat(fixture.admin(viewer, "GET", "/admin/vendors/nobody/tokens", null)
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    private static JsonNode tokens(GatewayFixture fixture, IssuedCertificate operator) throws Exception {
        HttpResponse<String> response = fixture.admin(operator, "GET", "/admin/vendors/acme/tokens", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("tokens");
    }

    private static String token(GatewayFixture fixture, HttpClient client) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static String jti(String jwt) throws Exception {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JSON.readTree(payload).path("jti").asText();
    }
}
