package dev.vendorgate.gateway.tripwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.RedisServer;
import dev.vendorgate.gateway.testing.Scrape;
import dev.vendorgate.gateway.testing.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways sharing a real Redis (a {@link RedisServer} of this test's own, keys under a prefix per
 * test): a canary fetched through one node suspends the vendor on every node, and the vendor's
 * connections to the other nodes are closed before the tripping request is answered; the
 * baselines are the fleet's: bytes and distinct objects add up across nodes, and a source network
 * one node saw is known to the others, while one the fleet never saw trips wherever it shows up.
 */
class TripwireFleetTest {

    private static final GatewayOptions OPTIONS = GatewayOptions.DEFAULTS
            .withShutdownGrace(Duration.ofSeconds(1))
            .withPeriods(GatewayOptions.Periods.DEFAULTS.withTripwireCheck(Duration.ofMillis(100)));

    @TempDir
    static Path serverDir;

    static RedisServer server;

    @TempDir
    Path dir;

    private String prefix;
    private RedisClient redis;
    private StatefulRedisConnection<String, String> connection;
    private final List<GatewayFixture> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start(serverDir);
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(GatewayFixture::close);
        if (connection != null) {
            List<String> keys = connection.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
            connection.close();
            redis.shutdown();
        }
    }

    private static RawHttpsClient open(TestPki pki, IssuedCertificate vendor, GatewayFixture node) throws Exception {
        RawHttpsClient client = new RawHttpsClient(pki.clientContext(vendor), node.port());
        client.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawHttpsClient.Head head = client.readHead();
        assertThat(head.status()).isEqualTo(200);
        client.readBody(head.contentLength());
        return client;
    }

    /** {@code count} nodes on one Redis prefix with the given tripwires section; node 1's PKI. */
    private TestPki startFleet(int count, String tripwires, GatewayOptions options) {
        prefix = "vendorgate-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        redis = RedisClient.create(server.uri(""));
        connection = redis.connect();
        return startFleet(count, tripwires, options, prefix);
    }

    /** The same on a prefix the test prepared ({@link #redis} and {@link #connection} open already). */
    private TestPki startFleet(int count, String tripwires, GatewayOptions options, String prefix) {
        String policy =
                "controlStore: \"" + server.uri("prefix=" + prefix) + "\"\n" + TripwireSupport.policy(tripwires);
        TestPki pki = TestPki.create(dir.resolve("node-1"));
        for (int i = 1; i <= count; i++) {
            nodes.add(GatewayFixture.start(i == 1 ? pki : pki.at(dir.resolve("node-" + i)), policy, Map.of(), options));
        }
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(connection.sync().keys(prefix + "node:*"))
                        .as("every node announced itself")
                        .hasSize(count));
        return pki;
    }

    /** One request of acme's to {@code node} from the local address {@code from}; its status. */
    private static int fetch(TestPki pki, GatewayFixture node, InetAddress from, String path) throws Exception {
        try (RawHttpsClient client =
                new RawHttpsClient(pki.clientContext(pki.vendor("acme", "etl")), node.port(), from)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            client.readBody(head.contentLength());
            return head.status();
        }
    }

    private static JsonNode report(GatewayFixture node, IssuedCertificate operator) throws Exception {
        return TripwireSupport.JSON
                .readTree(node.admin(operator, "GET", "/admin/tripwires/acme", null)
                        .body())
                .path("vendors")
                .path(0);
    }

    private static JsonNode awaitSuspended(GatewayFixture node, IssuedCertificate operator) throws Exception {
        return TripwireSupport.awaitVendor(
                node,
                operator,
                "acme",
                Duration.ofSeconds(10),
                v -> "suspended".equals(v.path("status").asText()));
    }

    @Test
    void hourlyCountsAddUpAcrossTheFleet() throws Exception {
        TestPki pki = startFleet(2, """
                tripwires:
                  rules:
                    - { id: bulk, kind: bytesOut, factor: 10, floor: 3000000, action: suspend, learningPeriod: 0 }
                """, OPTIONS);
        IssuedCertificate oncall = pki.pki().operator("oncall");
        for (GatewayFixture node : nodes) { // 2 MB through each node: under the floor on each, over it in all
            java.net.http.HttpClient acme =
                    node.client(pki.vendor("acme", "etl"), java.net.http.HttpClient.Version.HTTP_1_1);
            try {
                assertThat(acme.send(
                                        java.net.http.HttpRequest.newBuilder(node.uri("/bytes/2000000"))
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(200);
            } catch (java.io.IOException cut) {
                // the last download may be cut by the trip it causes while its last bytes are on their way
                assertThat(node).isSameAs(nodes.get(nodes.size() - 1));
            }
        }
        JsonNode vendor = awaitSuspended(nodes.get(0), oncall);
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:bulk");
        assertThat(TripwireSupport.vendor(nodes.get(1), oncall, "acme")
                        .path("status")
                        .asText())
                .isEqualTo("suspended");
    }

    @Test
    void aNodeWithoutHistoryOfItsOwnJudgesByTheFleetsBaseline() throws Exception {
        // what a fleet that served acme for a month keeps in Redis: 48 active hours of 10 KiB, 10 requests, 5 objects
        prefix = "vendorgate-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        redis = RedisClient.create(server.uri(""));
        connection = redis.connect();
        long now = java.time.Instant.now().getEpochSecond();
        Map<String, String> fields = new java.util.HashMap<>();
        fields.put("firstSeen", Long.toString(now - 30 * 86400));
        for (long h = now / 3600 - 48; h < now / 3600; h++) {
            fields.put(h + ":bytesOut", "10240");
            fields.put(h + ":requests", "10");
            fields.put(h + ":objects", "5");
        }
        connection.sync().hset(prefix + "tripwire:acme", fields);
        String seededPrefix = prefix;
        TestPki pki = startFleet(1, """
                tripwires:
                  rules:
                    - { id: bulk-bytes, kind: bytesOut, factor: 10, floor: 1MiB, action: suspend, learningPeriod: 7d }
                """, OPTIONS, seededPrefix);
        IssuedCertificate oncall = pki.pki().operator("oncall");
        GatewayFixture node = nodes.get(0);
        java.net.http.HttpClient acme =
                node.client(pki.vendor("acme", "etl"), java.net.http.HttpClient.Version.HTTP_1_1);
        try {
            acme.send(
                    java.net.http.HttpRequest.newBuilder(node.uri("/bytes/2000000"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException cut) {
            // the trip may cut the download while its last bytes are on their way
        }
        JsonNode vendor = awaitSuspended(node, oncall);
        assertThat(vendor.path("suspension").path("operator").asText())
                .as("learnt by the fleet a month ago")
                .isEqualTo("tripwire:bulk-bytes");
        assertThat(vendor.path("suspension").path("reason").asText()).contains("baseline 10240");
        JsonNode report = report(node, oncall);
        assertThat(report.path("historyHours").asInt()).isEqualTo(48);
        assertThat(report.path("baseline").path("objects").asLong()).isEqualTo(5);
    }

    @Test
    void distinctObjectsAreCountedOnceAcrossTheFleetAndTripTheRuleOnce() throws Exception {
        TestPki pki = startFleet(2, """
                tripwires:
                  rules:
                    - { id: enumeration, kind: objects, factor: 10, floor: 30, action: alert, learningPeriod: 0 }
                """, OPTIONS);
        IssuedCertificate oncall = pki.pki().operator("oncall");
        GatewayFixture a = nodes.get(0);
        GatewayFixture b = nodes.get(1);
        InetAddress usual = InetAddress.getByName("127.0.0.1");
        // the same 20 objects through both nodes: 40 requests, 20 distinct objects, under the floor of 30
        for (int i = 0; i < 20; i++) {
            assertThat(fetch(pki, a, usual, "/datasets/shard-" + i)).isEqualTo(200);
            assertThat(fetch(pki, b, usual, "/datasets/shard-" + i)).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    JsonNode thisHour = report(a, oncall).path("thisHour");
                    assertThat(thisHour.path("requests").asLong())
                            .as("node A has heard of B's requests")
                            .isEqualTo(40);
                    assertThat(thisHour.path("objects").asLong())
                            .as("counted once, not once per node")
                            .isBetween(18L, 22L);
                });
        assertThat(report(a, oncall).path("rules").path(0).path("state").asText())
                .isEqualTo("armed");
        // 8 new ones through each node: 28 objects on each, under the floor, and 36 in the fleet, over it
        for (int i = 20; i < 28; i++) {
            assertThat(fetch(pki, a, usual, "/datasets/shard-" + i)).isEqualTo(200);
            assertThat(fetch(pki, b, usual, "/datasets/shard-b" + i)).isEqualTo(200);
        }
        // both nodes find the trip on the fleet's figures; one of them acts on it (one alert, one webhook call)
        for (GatewayFixture node : nodes) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(report(node, oncall)
                                    .path("rules")
                                    .path(0)
                                    .path("state")
                                    .asText())
                            .isEqualTo("tripped this hour"));
        }
        double alerts = 0;
        for (GatewayFixture node : nodes) {
            alerts += Scrape.of(node.gateway().metricsAddress().getPort())
                    .value(
                            "vendorgate_tripwire_trips_total",
                            "vendor",
                            "acme",
                            "rule",
                            "enumeration",
                            "action",
                            "alert");
        }
        assertThat(alerts).as("one alert for the fleet").isEqualTo(1.0);
        JsonNode trip = report(a, oncall).path("lastTrip").isMissingNode()
                ? report(b, oncall).path("lastTrip")
                : report(a, oncall).path("lastTrip");
        assertThat(trip.path("reason").asText()).contains("distinct objects this hour");
        assertThat(TripwireSupport.vendor(a, oncall, "acme").path("status").asText())
                .isEqualTo("active");
    }

    @Test
    void aNetworkOneNodeSawIsKnownToTheOthersAndOneTheFleetNeverSawTrips() throws Exception {
        MutableClock clock = MutableClock.ticking();
        TestPki pki = startFleet(2, """
                tripwires:
                  rules:
                    - { id: new-network, kind: newNetwork, notSeenFor: 30d, action: suspend, learningPeriod: 1h }
                """, OPTIONS.withClock(clock));
        IssuedCertificate oncall = pki.pki().operator("oncall");
        GatewayFixture a = nodes.get(0);
        GatewayFixture b = nodes.get(1);
        InetAddress usual = InetAddress.getByName("127.0.0.1");

        // node A learns acme: its network (127.0.0.0/24) and when it first came reach the fleet
        assertThat(fetch(pki, a, usual, "/datasets/x")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> connection.sync().zscore(prefix + "tripwire:acme:networks", "127.0.0.0/24") != null
                        && connection.sync().hget(prefix + "tripwire:acme", "firstSeen") != null);
        clock.advance(Duration.ofHours(2)); // the learning period is over, on every node

        // node B never saw acme itself: the fleet's first sighting ends its learning, and the network is known
        assertThat(fetch(pki, b, usual, "/datasets/y")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    JsonNode rule = report(b, oncall).path("rules").path(0);
                    assertThat(rule.path("state").asText()).isEqualTo("armed");
                    assertThat(rule.path("figures").path("knownNetworks").asText())
                            .isEqualTo("1");
                });
        // a network the fleet never saw trips on the node it shows up at, and the suspension is everywhere
        assertThat(fetch(pki, b, InetAddress.getByName("127.0.1.2"), "/datasets/z"))
                .isEqualTo(200);
        JsonNode vendor = awaitSuspended(b, oncall);
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:new-network");
        assertThat(vendor.path("suspension").path("reason").asText())
                .contains("127.0.1.0/24")
                .doesNotContain("127.0.0.0/24");
        Scrape metrics = Scrape.of(b.gateway().metricsAddress().getPort());
        assertThat(metrics.value(
                        "vendorgate_tripwire_trips_total",
                        "vendor",
                        "acme",
                        "rule",
                        "new-network",
                        "action",
                        "suspend"))
                .as("the network node A saw did not trip on B")
                .isEqualTo(1.0);
        assertThat(awaitSuspended(a, oncall).path("status").asText()).isEqualTo("suspended");
    }

    @Test
    void aCanaryOnOneNodeSuspendsTheVendorOnEveryNodeBeforeTheAnswer() throws Exception {
        TestPki pki = startFleet(3, "tripwires:\n  canaries: { action: suspend }\n", OPTIONS);
        IssuedCertificate acme = pki.vendor("acme", "etl");
        IssuedCertificate oncall = pki.pki().operator("oncall");

        try (RawHttpsClient onNode2 = open(pki, acme, nodes.get(1));
                RawHttpsClient onNode3 = open(pki, acme, nodes.get(2));
                RawHttpsClient intruder =
                        new RawHttpsClient(pki.clientContext(acme), nodes.get(0).port())) {
            intruder.send("GET /datasets/canary/weights.tar HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(intruder.readHead().status()).isEqualTo(404);
            // the trip waited for the fleet's acknowledgements: the other nodes had cut acme already
            onNode2.socket().setSoTimeout(1000);
            onNode3.socket().setSoTimeout(1000);
            assertThat(onNode2.closedByServer()).isTrue();
            assertThat(onNode3.closedByServer()).isTrue();
        }
        for (GatewayFixture node : nodes) {
            JsonNode vendor = TripwireSupport.vendor(node, oncall, "acme");
            assertThat(vendor.path("status").asText()).isEqualTo("suspended");
            assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:canary");
            assertThat(vendor.path("credentialCutoff").isTextual()).isTrue();
            try (RawHttpsClient client =
                    new RawHttpsClient(pki.clientContext(pki.vendor("globex", "etl")), node.port())) {
                client.send("GET /datasets/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.readHead().status())
                        .as("globex keeps working")
                        .isEqualTo(200);
            }
        }
    }
}
