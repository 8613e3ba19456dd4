package dev.vendorgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RedisServer;
import dev.vendorgate.gateway.testing.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /admin/fleet} on two gateways sharing a real Redis: each node with the time of its
 * last heartbeat, and the last change with the nodes that applied it and the live node that has
 * not, whichever node is asked.
 */
class FleetViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GatewayOptions FLEET = GatewayOptions.DEFAULTS
            .withShutdownGrace(Duration.ofSeconds(1))
            .withPeriods(GatewayOptions.Periods.DEFAULTS
                    .withHeartbeat(Duration.ofMillis(500))
                    .withResync(Duration.ofSeconds(1)));

    @TempDir
    Path dir;

    @Test
    void everyNodeShowsTheFleetsHeartbeatsAndWhoAcknowledgedTheLastChange() throws Exception {
        String prefix = "vendorgate-fleet-view:";
        List<GatewayFixture> nodes = new ArrayList<>();
        try (RedisServer server = RedisServer.start(dir.resolve("redis"))) {
            RedisClient redis = RedisClient.create(server.uri(""));
            try (StatefulRedisConnection<String, String> connection = redis.connect()) {
                String policy = "controlStore: \"" + server.uri("prefix=" + prefix) + "\"\n" + Policies.WITH_ADMIN;
                TestPki pki = TestPki.create(dir.resolve("node-1"));
                nodes.add(GatewayFixture.start(pki, policy, Map.of(), FLEET));
                nodes.add(GatewayFixture.start(pki.at(dir.resolve("node-2")), policy, Map.of(), FLEET));
                IssuedCertificate oncall = pki.pki().operator("oncall");
                IssuedCertificate auditor = pki.pki().operator("auditor");
                Awaitility.await("both nodes announced themselves")
                        .atMost(Duration.ofSeconds(15))
                        .until(() -> fleet(nodes.get(1), auditor).path("nodes").size() == 2);

                HttpResponse<String> suspended = nodes.get(0)
                        .admin(oncall, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"fleet view\"}");
                assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
                // a node of an older version, whose heartbeat says only "alive"
                connection.sync().set(prefix + "node:older-node", "alive", io.lettuce.core.SetArgs.Builder.px(10_000));

                String origin = fleet(nodes.get(0), auditor).path("self").asText();
                JsonNode fleet = fleet(nodes.get(1), auditor);
                assertThat(fleet.path("mode").asText()).isEqualTo("cluster");
                assertThat(fleet.path("reachable").asBoolean()).isTrue();
                String asked = fleet.path("self").asText();
                assertThat(asked).isNotEqualTo(origin);
                assertThat(fleet.path("nodes"))
                        .extracting(n -> n.path("node").asText())
                        .containsExactlyInAnyOrder(origin, asked, "older-node");
                for (JsonNode node : fleet.path("nodes")) {
                    if (node.path("node").asText().equals("older-node")) {
                        assertThat(node.path("lastHeartbeat").isNull()).isTrue();
                    } else {
                        Instant beat = Instant.parse(node.path("lastHeartbeat").asText());
                        assertThat(Duration.between(beat, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
                        assertThat(node.path("self").asBoolean())
                                .isEqualTo(node.path("node").asText().equals(asked));
                    }
                }
                // (a resync may add the revocation of acme's tokens the suspension implies: not asserted here)
                assertThat(fleet.path("changes"))
                        .extracting(c -> c.path("kind").asText() + " "
                                + c.path("subject").asText())
                        .contains("suspend acme");
                JsonNode last = java.util.stream.StreamSupport.stream(
                                fleet.path("changes").spliterator(), false)
                        .filter(c -> c.path("kind").asText().equals("suspend"))
                        .findFirst()
                        .orElseThrow();
                assertThat(last.path("operator").asText()).isEqualTo("oncall");
                assertThat(last.path("origin").asText()).isEqualTo(origin);
                assertThat(last.path("acknowledged"))
                        .extracting(a -> a.path("node").asText())
                        .containsExactlyInAnyOrder(origin, asked);
                assertThat(last.path("missing")).extracting(JsonNode::asText).containsExactly("older-node");
            } finally {
                nodes.forEach(GatewayFixture::close);
                redis.shutdown();
            }
        }
    }

    private static JsonNode fleet(GatewayFixture node, IssuedCertificate operator) throws Exception {
        HttpResponse<String> response = node.admin(operator, "GET", "/admin/fleet", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
