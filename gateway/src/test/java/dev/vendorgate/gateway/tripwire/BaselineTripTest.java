package dev.vendorgate.gateway.tripwire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.Scrape;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baseline rules over real TLS, on a vendor history seeded in the state folder (as a gateway
 * that ran for a month would have saved it) and the gateway's clock set by the test: a bulk
 * download far above the vendor's normal hour, a source network it never used, work outside
 * its declared hours.
 */
class BaselineTripTest {

    /** A Wednesday, 11:30 in Berlin. */
    static final Instant WORKDAY = Instant.parse("2026-12-02T10:30:00Z");

    static final String RULES = """
            tripwires:
              rules:
                - { id: bulk-bytes, kind: bytesOut, factor: 10, floor: 1MiB, action: suspend }
                - { id: new-network, kind: newNetwork, notSeenFor: 30d, action: suspend, vendors: [acme] }
                - { id: night-work, kind: outsideHours, zone: Europe/Berlin, hours: "07:00-20:00", action: alert }
            """;

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCertificate oncall;
    MutableClock clock;

    /** Both vendors: a month known, 48 active hours of 10 KiB, 10 requests and 5 objects, from 127.0.0.0/24. */
    private void seed(Instant now) throws Exception {
        long hour = now.getEpochSecond() / 3600;
        StringBuilder hours = new StringBuilder();
        for (long h = hour - 48; h < hour; h++) {
            hours.append(hours.length() == 0 ? "" : ",").append('"').append(h).append("\":[10240,10,5]");
        }
        String vendor = "{\"firstSeen\":" + (now.getEpochSecond() - 30 * 86400) + ",\"hour\":" + (hour - 1)
                + ",\"current\":[0,0,0],\"hours\":{" + hours + "},\"networks\":{\"127.0.0.0/24\":"
                + (now.getEpochSecond() - 3600) + "}}";
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(
                dir.resolve("state").resolve("tripwires.json"),
                "{\"vendors\":{\"acme\":" + vendor + ",\"globex\":" + vendor + "}}");
    }

    private void start(Instant now) throws Exception {
        seed(now);
        start(now, RULES);
    }

    private void start(Instant now, String rules) {
        clock = new MutableClock(now);
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                TripwireSupport.policy(rules),
                Map.of(),
                GatewayOptions.DEFAULTS
                        .withShutdownGrace(Duration.ofSeconds(1))
                        .withPeriods(GatewayOptions.Periods.DEFAULTS.withTripwireCheck(Duration.ofMillis(100)))
                        .withClock(clock));
        oncall = fixture.pki().pki().operator("oncall");
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private HttpClient client(String vendor) {
        return fixture.client(fixture.pki().vendor(vendor, "etl"), HttpClient.Version.HTTP_1_1);
    }

    /** The status, or -1 when the connection was cut before the whole body came (a suspension severs). */
    private int download(HttpClient client, long bytes) throws Exception {
        try {
            return client.send(
                            HttpRequest.newBuilder(fixture.uri("/bytes/" + bytes))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException cut) {
            return -1;
        }
    }

    private JsonNode awaitSuspended(String vendor) throws Exception {
        return TripwireSupport.awaitVendor(
                fixture,
                oncall,
                vendor,
                Duration.ofSeconds(10),
                v -> "suspended".equals(v.path("status").asText()));
    }

    @Test
    void aBulkDownloadFarAboveTheBaselineSuspendsWithinSecondsWhileAnotherVendorWorks() throws Exception {
        start(WORKDAY);
        HttpClient acme = client("acme");
        assertThat(download(acme, 50_000)).as("a normal hour's worth").isEqualTo(200);
        // counted as it ends: the trip may cut the connection while the last bytes are still on their way
        assertThat(download(acme, 2_000_000)).isIn(200, -1);

        JsonNode vendor = awaitSuspended("acme");
        assertThat(vendor.path("status").asText()).isEqualTo("suspended");
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:bulk-bytes");
        assertThat(vendor.path("suspension").path("reason").asText())
                .contains("bytes out this hour")
                .contains("baseline 10240")
                .contains("floor 1048576");
        assertThat(vendor.path("credentialCutoff").isTextual()).isTrue();
        assertThat(download(acme, 10)).isEqualTo(403);

        HttpClient globex = client("globex");
        assertThat(fixture.get(globex, "/datasets/x").statusCode()).isEqualTo(200);
        assertThat(TripwireSupport.vendor(fixture, oncall, "globex")
                        .path("status")
                        .asText())
                .isEqualTo("active");

        JsonNode report = TripwireSupport.JSON.readTree(
                fixture.admin(oncall, "GET", "/admin/tripwires/acme", null).body());
        JsonNode acmeReport = report.path("vendors").path(0);
        assertThat(acmeReport.path("baseline").path("bytesOut").asLong()).isEqualTo(10240);
        assertThat(acmeReport.path("thisHour").path("bytesOut").asLong()).isGreaterThanOrEqualTo(2_050_000);
        assertThat(acmeReport.path("lastTrip").path("rule").asText()).isEqualTo("bulk-bytes");
        assertThat(acmeReport.path("canaries").asInt()).isEqualTo(2);
        assertThat(acmeReport.toString()).doesNotContain("decoy.bin").as("canaries are counted, not shown");
    }

    @Test
    void aSourceNetworkNeverSeenBeforeTrips() throws Exception {
        start(WORKDAY);
        assertThat(fixture.get(client("acme"), "/datasets/known-network").statusCode())
                .isEqualTo(200);
        try (RawHttpsClient elsewhere = new RawHttpsClient(
                fixture.pki().clientContext(fixture.pki().vendor("acme", "etl")),
                fixture.port(),
                InetAddress.getByName("127.0.1.2"))) {
            elsewhere.send("GET /datasets/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(elsewhere.readHead().status()).isEqualTo(200);
        }
        JsonNode vendor = awaitSuspended("acme");
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:new-network");
        assertThat(vendor.path("suspension").path("reason").asText())
                .contains("127.0.1.0/24")
                .contains("never seen");
        // the rule is acme's only: globex from the same new network is let be
        try (RawHttpsClient globex = new RawHttpsClient(
                fixture.pki().clientContext(fixture.pki().vendor("globex", "etl")),
                fixture.port(),
                InetAddress.getByName("127.0.1.2"))) {
            globex.send("GET /datasets/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(globex.readHead().status()).isEqualTo(200);
        }
        JsonNode report = TripwireSupport.JSON.readTree(
                fixture.admin(oncall, "GET", "/admin/tripwires/globex", null).body());
        assertThat(report.path("vendors").path(0).path("networks").toString()).contains("127.0.1.0/24");
        assertThat(TripwireSupport.vendor(fixture, oncall, "globex")
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }

    private int fetchFrom(String vendor, String address) throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(
                fixture.pki().clientContext(fixture.pki().vendor(vendor, "etl")),
                fixture.port(),
                InetAddress.getByName(address))) {
            client.send("GET /datasets/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            client.readBody(head.contentLength());
            return head.status();
        }
    }

    private JsonNode rule(String vendor, int index) throws Exception {
        return TripwireSupport.JSON
                .readTree(fixture.admin(oncall, "GET", "/admin/tripwires/" + vendor, null)
                        .body())
                .path("vendors")
                .path(0)
                .path("rules")
                .path(index);
    }

    @Test
    void aRuleLearnsForItsLearningPeriodBeforeItActs() throws Exception {
        start(WORKDAY, """
                tripwires:
                  rules:
                    - { id: new-network, kind: newNetwork, notSeenFor: 30d, action: suspend, learningPeriod: 1d }
                """);
        // acme's first request ever, from a network of its own: learnt, not tripped
        assertThat(fetchFrom("acme", "127.0.1.2")).isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(rule("acme", 0).path("state").asText())
                        .isEqualTo("learning until " + WORKDAY.plus(Duration.ofDays(1))));
        assertThat(TripwireSupport.vendor(fixture, oncall, "acme")
                        .path("status")
                        .asText())
                .isEqualTo("active");

        clock.advance(Duration.ofDays(1)
                .plusHours(1)); // the evaluation that saw the first request is done: its clock was read first
        assertThat(rule("acme", 0).path("state").asText()).isEqualTo("armed");
        // the network learnt comes back: known; a network never seen trips
        assertThat(fetchFrom("acme", "127.0.1.3")).isEqualTo(200);
        assertThat(fetchFrom("acme", "127.0.0.1")).isEqualTo(200);
        JsonNode vendor = awaitSuspended("acme");
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:new-network");
        assertThat(vendor.path("suspension").path("reason").asText())
                .contains("127.0.0.0/24")
                .doesNotContain("127.0.1.0/24");
        assertThat(Scrape.of(fixture.gateway().metricsAddress().getPort())
                        .value(
                                "vendorgate_tripwire_trips_total",
                                "vendor",
                                "acme",
                                "rule",
                                "new-network",
                                "action",
                                "suspend"))
                .isEqualTo(1.0);
    }

    @Test
    void workOutsideTheDeclaredHoursAlertsWithoutSuspendingAndBaselinesSurviveARestart() throws Exception {
        start(Instant.parse("2026-12-02T19:30:00Z")); // 20:30 in Berlin: outside 07:00-20:00 there, not in UTC
        assertThat(fixture.get(client("acme"), "/datasets/late").statusCode()).isEqualTo(200);
        int metrics = fixture.gateway().metricsAddress().getPort();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Scrape.of(metrics)
                                .value(
                                        "vendorgate_tripwire_trips_total",
                                        "vendor",
                                        "acme",
                                        "rule",
                                        "night-work",
                                        "action",
                                        "alert")
                        >= 1);
        assertThat(Scrape.of(metrics)
                        .value(
                                "vendorgate_tripwire_trips_total",
                                "vendor",
                                "acme",
                                "rule",
                                "night-work",
                                "action",
                                "alert"))
                .isEqualTo(1.0);
        JsonNode vendor = TripwireSupport.vendor(fixture, oncall, "acme");
        assertThat(vendor.path("status").asText()).isEqualTo("active");
        assertThat(vendor.path("tripwire").path("reason").asText())
                .contains("Europe/Berlin")
                .contains("20:30");

        fixture.restart();
        JsonNode report = TripwireSupport.JSON
                .readTree(fixture.admin(oncall, "GET", "/admin/tripwires/acme", null)
                        .body())
                .path("vendors")
                .path(0);
        assertThat(report.path("historyHours").asInt()).isEqualTo(48);
        assertThat(report.path("thisHour").path("requests").asLong())
                .as("this hour's count was saved")
                .isEqualTo(1);
        assertThat(rule("acme", 2).path("figures").path("insideNow").asText()).isEqualTo("false");
        clock.advance(Duration.ofHours(11)); // 06:30 UTC, 07:30 in Berlin: inside the hours there
        assertThat(rule("acme", 2).path("figures").path("insideNow").asText()).isEqualTo("true");
    }
}
