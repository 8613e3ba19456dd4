package dev.vendorgate.gateway.tripwire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways sharing a real Redis (127.0.0.1:6379, keys under a prefix of their own): a canary
 * fetched through one node suspends the vendor on every node, and the vendor's connections to the
 * other nodes are closed before the tripping request is answered.
 */
class TripwireFleetTest {

    @TempDir
    Path dir;

    private String prefix;
    private RedisClient redis;
    private StatefulRedisConnection<String, String> connection;
    private final List<GatewayFixture> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(GatewayFixture::close);
        List<String> keys = connection.sync().keys(prefix + "*");
        if (!keys.isEmpty()) {
            connection.sync().del(keys.toArray(String[]::new));
        }
        connection.close();
        redis.shutdown();
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
    private TestPki startFleet(int count, String tripwires) {
        prefix = "vendorgate-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        redis = RedisClient.create("redis://127.0.0.1:6379/0");
        connection = redis.connect();
        String policy = "controlStore: \"redis://127.0.0.1:6379/0?prefix=" + prefix + "\"\n"
                + TripwireSupport.policy(tripwires);
        TestPki pki = TestPki.create(dir.resolve("node-1"));
        for (int i = 1; i <= count; i++) {
            nodes.add(GatewayFixture.start(i == 1 ? pki : pki.at(dir.resolve("node-" + i)), policy, Map.of(),
                    GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1))));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (connection.sync().keys(prefix + "node:*").size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(connection.sync().keys(prefix + "node:*")).as("every node announced itself").hasSize(count);
        return pki;
    }

    @Test
    void hourlyCountsAddUpAcrossTheFleet() throws Exception {
        TestPki pki = startFleet(2, """
                tripwires:
                  rules:
                    - { id: bulk, kind: bytesOut, factor: 10, floor: 3000000, action: suspend, learningPeriod: 0 }
                """);
        IssuedCertificate oncall = pki.pki().operator("oncall");
        for (GatewayFixture node : nodes) { // 2 MB through each node: under the floor on each, over it in all
            java.net.http.HttpClient acme = node.client(pki.vendor("acme", "etl"), java.net.http.HttpClient.Version.HTTP_1_1);
            try {
                assertThat(acme.send(java.net.http.HttpRequest.newBuilder(node.uri("/bytes/2000000")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            } catch (java.io.IOException cut) {
                // the last download may be cut by the trip it causes while its last bytes are on their way
                assertThat(node).isSameAs(nodes.get(nodes.size() - 1));
            }
        }
        JsonNode vendor = TripwireSupport.awaitVendor(nodes.get(0), oncall, "acme", Duration.ofSeconds(15),
                v -> "suspended".equals(v.path("status").asText()));
        assertThat(vendor.path("suspension").path("operator").asText()).isEqualTo("tripwire:bulk");
        assertThat(TripwireSupport.vendor(nodes.get(1), oncall, "acme").path("status").asText()).isEqualTo("suspended");
    }

    @Test
    void aCanaryOnOneNodeSuspendsTheVendorOnEveryNodeBeforeTheAnswer() throws Exception {
        TestPki pki = startFleet(3, "tripwires:\n  canaries: { action: suspend }\n");
        IssuedCertificate acme = pki.vendor("acme", "etl");
        IssuedCertificate oncall = pki.pki().operator("oncall");

        try (RawHttpsClient onNode2 = open(pki, acme, nodes.get(1));
             RawHttpsClient onNode3 = open(pki, acme, nodes.get(2));
             RawHttpsClient intruder = new RawHttpsClient(pki.clientContext(acme), nodes.get(0).port())) {
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
            try (RawHttpsClient client = new RawHttpsClient(pki.clientContext(pki.vendor("globex", "etl")),
                    node.port())) {
                client.send("GET /datasets/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.readHead().status()).as("globex keeps working").isEqualTo(200);
            }
        }
    }
}
