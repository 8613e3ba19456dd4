package dev.vendorgate.gateway.tripwire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.Scrape;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request for a canary, however its path is spelled, suspends the vendor as after a breach and
 * cuts its other connections before the tripping request is answered, with an answer that looks
 * like any missing object; the webhook hears of it, and a webhook that hangs delays nothing.
 */
class CanaryTripTest {

    @TempDir
    Path dir;

    private static String section(String extra) {
        return """
                tripwires:
                  canaries: { action: suspend, response: RESPONSE }
                """ + extra;
    }

    private GatewayFixture start(String response, String extra) {
        return GatewayFixture.start(
                TestPki.create(dir),
                TripwireSupport.policy(section(extra).replace("RESPONSE", response)),
                Map.of(),
                GatewayOptions.DEFAULTS
                        .withShutdownGrace(Duration.ofSeconds(1))
                        .withPeriods(GatewayOptions.Periods.DEFAULTS.withTripwireCheck(Duration.ofMillis(100))));
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/datasets/canary/a.bin",
                "/datasets/%63anary/a.bin",
                "/datasets//canary/a.bin",
                "/datasets/x/%2e%2e/canary/a.bin",
                "/datasets/./Canary/A.bin",
                "/datasets/DECOY.bin",
                "/datasets/decoy.bin/"
            })
    void aCanaryFetchSuspendsTheVendorAndCutsItsOtherConnectionsFirst(String target) throws Exception {
        try (GatewayFixture fixture = start("not-found", "")) {
            IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
            IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
            try (RawHttpsClient other = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port());
                    RawHttpsClient intruder = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                other.send(get("/datasets/ordinary"));
                RawHttpsClient.Head ordinary = other.readHead();
                assertThat(ordinary.status()).isEqualTo(200);
                other.readBody(ordinary.contentLength());

                intruder.send(get(target));
                RawHttpsClient.Head head = intruder.readHead();
                String body = new String(intruder.readBody(head.contentLength()), StandardCharsets.UTF_8);

                assertThat(head.status()).isEqualTo(404);
                assertThat(body)
                        .contains("not-found")
                        .doesNotContain("tripwire")
                        .doesNotContain("suspend");
                // the answer came after the suspension was durable and applied: no polling needed
                JsonNode vendor = TripwireSupport.vendor(fixture, oncall, "acme");
                assertThat(vendor.path("status").asText()).isEqualTo("suspended");
                assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:canary");
                assertThat(vendor.path("suspension").path("reason").asText()).contains("/datasets/");
                assertThat(vendor.path("credentialCutoff").isTextual())
                        .as("a breach suspension")
                        .isTrue();
                assertThat(vendor.path("tripwire").path("rule").asText()).isEqualTo("canary");
                // and the vendor's other connection was already cut when it came
                other.socket().setSoTimeout(1000);
                assertThat(other.closedByServer())
                        .as("the other connection is closed")
                        .isTrue();
                assertThat(intruder.closedByServer())
                        .as("the tripping connection closes after its answer")
                        .isTrue();
            }
            assertThat(fixture.upstream().received())
                    .noneMatch(r -> r.uri().toLowerCase().contains("canary")
                            || r.uri().toLowerCase().contains("decoy"));
            HttpClient globex = fixture.client(fixture.pki().vendor("globex", "etl"), HttpClient.Version.HTTP_1_1);
            assertThat(fixture.get(globex, "/datasets/x").statusCode())
                    .as("another vendor keeps working")
                    .isEqualTo(200);
            Scrape metrics = Scrape.of(fixture.gateway().metricsAddress().getPort());
            assertThat(metrics.value(
                            "vendorgate_tripwire_trips_total", "vendor", "acme", "rule", "canary", "action", "suspend"))
                    .isEqualTo(1.0);
            JsonNode record = TrailRecords.awaitAdmin(
                    dir.resolve("audit"),
                    r -> "tripwire:canary".equals(r.path("operator").asText()));
            assertThat(record).isNotNull();
            assertThat(record.path("target").asText()).isEqualTo("acme");
        }
    }

    @Test
    void overHttp2TheStreamIsAnsweredAfterTheSuspensionAndTheConnectionCloses() throws Exception {
        try (GatewayFixture fixture = start("not-found", "")) {
            IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
            HttpClient acme = fixture.client(fixture.pki().vendor("acme", "etl"), HttpClient.Version.HTTP_2);
            java.net.http.HttpResponse<String> ordinary = fixture.get(acme, "/datasets/x");
            assertThat(ordinary.version()).isEqualTo(HttpClient.Version.HTTP_2);
            java.net.http.HttpResponse<String> canary = fixture.get(acme, "/datasets/canary/shard-1");
            assertThat(canary.statusCode()).isEqualTo(404);
            assertThat(canary.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(TripwireSupport.vendor(fixture, oncall, "acme")
                            .path("suspension")
                            .path("operator")
                            .asText())
                    .isEqualTo("tripwire:canary");
            JsonNode after = TripwireSupport.awaitVendor(
                    fixture,
                    oncall,
                    "acme",
                    Duration.ofSeconds(10),
                    v -> v.path("connections").asInt() == 0);
            assertThat(after.path("connections").asInt())
                    .as("the tripping connection closed after its answer")
                    .isZero();
        }
    }

    @Test
    void theUpstreamsAnswerCanBeGivenAndTheWebhookHearsOfTheTrip() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        LinkedBlockingQueue<String> posted = new LinkedBlockingQueue<>();
        receiver.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (GatewayFixture fixture = start(
                "upstream",
                "  webhook: { url: \"http://127.0.0.1:" + receiver.getAddress().getPort()
                        + "/hook\", timeout: 2s }\n")) {
            IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
            try (RawHttpsClient intruder = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                intruder.send(get("/datasets/canary/listing.json"));
                RawHttpsClient.Head head = intruder.readHead();
                String body = new String(intruder.readBody(head.contentLength()), StandardCharsets.UTF_8);
                assertThat(head.status()).isEqualTo(200);
                assertThat(body).isEqualTo("ok GET /datasets/canary/listing.json");
            }
            String event = posted.poll(15, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            JsonNode json = TripwireSupport.JSON.readTree(event);
            assertThat(json.path("vendor").asText()).isEqualTo("acme");
            assertThat(json.path("rule").asText()).isEqualTo("canary");
            assertThat(json.path("action").asText()).isEqualTo("suspend");
            assertThat(json.path("outcome").asText()).startsWith("suspended");
            assertThat(json.path("operator").asText()).isEqualTo("tripwire:canary");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aWebhookThatHangsOrFailsDoesNotDelayTheSuspension() throws Exception {
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket hanging = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hanging.accept()); // accepts, never answers
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // an hour per attempt, three retries: were the suspension to wait for it, the answer would never come
            try (GatewayFixture fixture = start(
                    "not-found",
                    "  webhook: { url: \"http://127.0.0.1:" + hanging.getLocalPort()
                            + "/hook\", timeout: 1h, retries: 3 }\n")) {
                IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
                IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
                try (RawHttpsClient intruder = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                    intruder.send(get("/datasets/decoy.bin"));
                    assertThat(intruder.readHead().status()).isEqualTo(404);
                }
                assertThat(TripwireSupport.vendor(fixture, oncall, "acme")
                                .path("status")
                                .asText())
                        .isEqualTo("suspended");
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .untilAsserted(() -> assertThat(held)
                                .as("the webhook was called (and hangs)")
                                .isNotEmpty());
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
