package dev.vendorgate.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.RedisServer;
import dev.vendorgate.gateway.testing.TestPki;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways, each with its own state folder, sharing a real Redis (a {@link RedisServer} of
 * this test's own, keys under a prefix per test): a suspension made on one reaches the others,
 * cuts their connections and is acknowledged; a node that was away catches up; a Redis emptied is
 * re-seeded. Tests that stop Redis start one more of their own.
 */
class ClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long QUOTA = 1 << 20;
    /** Acme may take 1 MiB a day from the whole fleet; globex may make 20 requests a second to it. */
    private static final String WITH_QUOTA = Policies.WITH_ADMIN
            .replace(
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                    "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n    limits: { bytesOutPerDay: 1MiB }")
            .replace(
                    "    routes: [dataset-read]\n",
                    "    routes: [dataset-read]\n    limits: { requestsPerSecond: 20, burst: 10 }\n");

    /** Heartbeats and resyncs faster than in production, so that the fleet converges in a test's time. */
    private static final GatewayOptions FLEET = GatewayOptions.DEFAULTS
            .withShutdownGrace(Duration.ofSeconds(1))
            .withPeriods(GatewayOptions.Periods.DEFAULTS
                    .withHeartbeat(Duration.ofMillis(500))
                    .withResync(Duration.ofSeconds(1)));

    @TempDir
    static Path serverDir;

    static RedisServer server;

    @TempDir
    Path dir;

    private String prefix;
    private RedisClient redis;
    private StatefulRedisConnection<String, String> connection;
    private final List<GatewayFixture> nodes = new ArrayList<>();
    private TestPki pki;
    private IssuedCertificate acme;
    private IssuedCertificate oncall;

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

    @BeforeEach
    void start() {
        prefix = "vendorgate-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        redis = RedisClient.create(server.uri(""));
        connection = redis.connect();
        String policy = "controlStore: \"" + server.uri("prefix=" + prefix) + "\"\n" + WITH_QUOTA;
        pki = TestPki.create(dir.resolve("node-1"));
        for (int i = 1; i <= 3; i++) {
            TestPki here = i == 1 ? pki : pki.at(dir.resolve("node-" + i));
            nodes.add(GatewayFixture.start(here, policy, Map.of(), FLEET));
        }
        acme = pki.vendor("acme", "etl");
        oncall = pki.pki().operator("oncall");
        await("every node announced itself", () -> heartbeats() == 3);
    }

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

    private long heartbeats() {
        return connection.sync().keys(prefix + "node:*").size();
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }

    /** How many nodes announce themselves in {@code redis} under the default prefix. */
    private static int heartbeats(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri(""));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().keys("vendorgate:node:*").size();
        } finally {
            client.shutdown();
        }
    }

    private RawHttpsClient openConnection(GatewayFixture node) throws Exception {
        RawHttpsClient client = new RawHttpsClient(pki.clientContext(acme), node.port());
        client.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawHttpsClient.Head head = client.readHead();
        assertThat(head.status()).isEqualTo(200);
        client.readBody(head.contentLength());
        return client;
    }

    private int status(GatewayFixture node) throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(pki.clientContext(acme), node.port())) {
            client.send("GET /datasets/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return client.readHead().status();
        }
    }

    private JsonNode suspend(GatewayFixture node) throws Exception {
        HttpResponse<String> response =
                node.admin(oncall, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"breach at acme\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void aSuspensionOnOneNodeCutsTheOthersAndIsAcknowledgedByAll() throws Exception {
        RawHttpsClient onNode2 = openConnection(nodes.get(1));
        RawHttpsClient onNode3 = openConnection(nodes.get(2));

        JsonNode result = suspend(nodes.get(0));

        assertThat(result.path("nodes").path("acknowledged")).hasSize(3);
        assertThat(result.path("nodes").path("missing")).isEmpty();
        // acknowledged means applied: the other nodes' connections are already closed
        assertThat(onNode2.closedByServer()).isTrue();
        assertThat(onNode3.closedByServer()).isTrue();
        for (GatewayFixture node : nodes) {
            assertThat(status(node)).isEqualTo(403);
        }
    }

    @Test
    void concurrentFullAndReadOnlySuspensionsOnTwoNodesEndFullyOnEveryNode() throws Exception {
        for (int round = 0; round < 3; round++) {
            java.util.concurrent.CompletableFuture<HttpResponse<String>> full =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> call(nodes.get(0), "/admin/vendors/acme/suspend", "{\"reason\":\"full\"}"));
            java.util.concurrent.CompletableFuture<HttpResponse<String>> readOnly =
                    java.util.concurrent.CompletableFuture.supplyAsync(() ->
                            call(nodes.get(1), "/admin/vendors/acme/suspend", "{\"reason\":\"ro\",\"readOnly\":true}"));
            assertThat(full.get().statusCode()).as(full.get().body()).isEqualTo(200);
            assertThat(readOnly.get().statusCode()).isIn(200, 409);

            for (GatewayFixture node : nodes) {
                await(
                        "node " + node.port() + " holds the full suspension",
                        () -> vendorStatus(node).equals("suspended"));
                assertThat(status(node)).isEqualTo(403);
            }
            assertThat(call(nodes.get(2), "/admin/vendors/acme/resume", "{\"reason\":\"next\"}")
                            .statusCode())
                    .isEqualTo(200);
            for (GatewayFixture node : nodes) {
                await(
                        "node " + node.port() + " resumed",
                        () -> vendorStatus(node).equals("active"));
            }
        }
    }

    @Test
    void aBreachCutoffMadeOnOneNodeHoldsOnEveryNodeAfterTheResume() throws Exception {
        assertThat(call(nodes.get(0), "/admin/vendors/acme/suspend", "{\"reason\":\"INC\",\"breach\":true}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(call(nodes.get(1), "/admin/vendors/acme/resume", "{\"reason\":\"over\"}")
                        .statusCode())
                .isEqualTo(200);
        for (GatewayFixture node : nodes) {
            // resumed after a breach: on probation, on every node
            await(
                    "node " + node.port() + " resumed on probation",
                    () -> vendorStatus(node).equals("probation"));
            assertThat(status(node)).as("the old certificate, on every node").isEqualTo(403);
        }
    }

    private HttpResponse<String> call(GatewayFixture node, String path, String body) {
        try {
            return node.admin(oncall, "POST", path, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String vendorStatus(GatewayFixture node) {
        try {
            return JSON.readTree(node.admin(oncall, "GET", "/admin/vendors/acme", null)
                            .body())
                    .path("status")
                    .asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNodeThatIsDownIsReportedAndAppliesTheSuspensionWhenItComesBack() throws Exception {
        GatewayFixture third = nodes.get(2);
        third.gateway().close();
        // as if it had crashed: its last heartbeat has not expired yet
        connection.sync().set(prefix + "node:crashed-node", "alive", io.lettuce.core.SetArgs.Builder.px(3000));

        JsonNode result = suspend(nodes.get(0));

        assertThat(result.path("nodes").path("acknowledged")).hasSize(2);
        assertThat(result.path("nodes").path("missing"))
                .extracting(JsonNode::asText)
                .containsExactly("crashed-node");
        assertThat(status(nodes.get(1))).isEqualTo(403);

        third.restart();
        await("the returning node applied the suspension", () -> statusQuietly(third) == 403);
    }

    @Test
    void aRedisThatLostItsDataIsReseededAndNobodyIsUnsuspended() throws Exception {
        suspend(nodes.get(0));
        connection.sync().del(prefix + "changes");

        await("the nodes re-seeded Redis", () -> connection.sync().xlen(prefix + "changes") > 0);
        for (GatewayFixture node : nodes) {
            assertThat(status(node)).isEqualTo(403);
        }
        // a node that starts now, with an empty journal, learns the suspension from Redis
        GatewayFixture fourth = GatewayFixture.start(
                pki.at(dir.resolve("node-4")),
                "controlStore: \"" + server.uri("prefix=" + prefix) + "\"\n" + Policies.WITH_ADMIN,
                Map.of(),
                FLEET);
        nodes.add(fourth);
        await("a new node learned the suspension", () -> statusQuietly(fourth) == 403);
    }

    @Test
    void withRedisDownEveryNodeKeepsEnforcingAndTheFleetCatchesUpWhenItIsBack(@TempDir Path redisDir) throws Exception {
        List<GatewayFixture> fleet = new ArrayList<>();
        try (RedisServer away = RedisServer.start(redisDir)) {
            String policy = "controlStore: \"" + away.uri("") + "\"\n" + Policies.WITH_ADMIN;
            for (int i = 1; i <= 2; i++) {
                fleet.add(GatewayFixture.start(pki.at(dir.resolve("down-" + i)), policy, Map.of(), FLEET));
            }
            await("both nodes connected and announced", () -> heartbeats(away) == 2);
            away.stop();

            JsonNode result = suspend(fleet.get(0));

            assertThat(result.path("durable").asBoolean()).isTrue();
            assertThat(result.path("nodes").path("missing").toString()).contains("unreachable");
            assertThat(status(fleet.get(0))).as("applied where it was made").isEqualTo(403);
            assertThat(status(fleet.get(1)))
                    .as("the other node cannot know yet")
                    .isEqualTo(200);

            away.restart(); // back, and empty
            await(
                    "the suspension reached the other node through the restarted Redis",
                    () -> statusQuietly(fleet.get(1)) == 403);
        } finally {
            fleet.forEach(GatewayFixture::close);
        }
    }

    @Test
    void failClosedRefusesVendorTrafficWhileRedisIsAwayLongerThanAllowed(@TempDir Path redisDir) throws Exception {
        GatewayFixture node = null;
        try (RedisServer away = RedisServer.start(redisDir)) {
            node = GatewayFixture.start(
                    pki.at(dir.resolve("fail-closed")),
                    "controlStore: \"" + away.uri("failClosedAfter=2s") + "\"\n" + WITH_QUOTA,
                    Map.of(),
                    FLEET);
            GatewayFixture gateway = node;
            await("served with Redis up", () -> statusQuietly(gateway) == 200);
            away.stop();

            await("refused once Redis has been away for 2s", () -> statusQuietly(gateway) == 503);

            away.restart();
            await("served again once Redis is back", () -> statusQuietly(gateway) == 200);
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void withRedisDownEachNodeKeepsToItsShareOfTheQuota(@TempDir Path redisDir) throws Exception {
        List<GatewayFixture> fleet = new ArrayList<>();
        try (RedisServer away = RedisServer.start(redisDir)) {
            String policy = "controlStore: \"" + away.uri("") + "\"\n" + WITH_QUOTA;
            for (int i = 1; i <= 2; i++) {
                fleet.add(GatewayFixture.start(pki.at(dir.resolve("share-" + i)), policy, Map.of(), FLEET));
            }
            await(
                    "both nodes announced and counted each other",
                    () -> fleet.stream()
                            .allMatch(node ->
                                    node.gateway().state().limiters().leaser().fleetSize() == 2));
            away.stop();

            long delivered = 0;
            for (int i = 0; i < 6; i++) {
                delivered += download(fleet.get(0), 150_000);
            }

            // two nodes: each may move half of the 1 MiB quota (plus the buffer that crosses it), not all of it
            assertThat(delivered).isBetween(QUOTA / 2 - 64 * 1024, QUOTA / 2 + 64 * 1024);
        } finally {
            fleet.forEach(GatewayFixture::close);
        }
    }

    private int statusQuietly(GatewayFixture node) {
        try {
            return status(node);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aDailyByteQuotaHoldsForTheWholeFleetNotForEachNode() throws Exception {
        long lease = 64 * 1024; // what a node asks for ahead of need, and one body buffer
        long delivered = 0;
        for (int round = 0; round < 4; round++) {
            for (GatewayFixture node : nodes) {
                delivered += download(node, 150_000);
            }
        }
        // per node the quota would have allowed 3 MiB; the fleet gave out about 1 MiB in all: past the
        // quota, each node can have counted at most the buffer in hand and one in flight
        assertThat(delivered).isBetween(QUOTA - nodes.size() * lease, QUOTA + nodes.size() * 2 * lease);
        for (GatewayFixture node : nodes) {
            assertThat(download(node, 150_000))
                    .as("after the quota, at most what a node still held")
                    .isLessThanOrEqualTo(2 * lease);
        }
        long granted = 0;
        for (String key : connection.sync().keys(prefix + "quota:acme:out:*")) {
            granted += Long.parseLong(connection.sync().get(key));
        }
        assertThat(granted).as("granted in Redis, never more than the quota").isLessThanOrEqualTo(QUOTA);
    }

    @Test
    void aRequestRateHoldsForTheWholeFleetNotForEachNode() throws Exception {
        IssuedCertificate globex = pki.vendor("globex", null);
        java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger limited = new java.util.concurrent.atomic.AtomicInteger();
        long seconds = 3;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> clients = new ArrayList<>();
        for (GatewayFixture node : nodes) {
            for (int i = 0; i < 2; i++) {
                java.net.http.HttpClient client = node.client(globex, java.net.http.HttpClient.Version.HTTP_1_1);
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            int status = node.get(client, "/datasets/rate").statusCode();
                            (status == 200 ? ok : limited).incrementAndGet();
                        } catch (Exception e) {
                            limited.incrementAndGet();
                        }
                    }
                });
                thread.start();
                clients.add(thread);
            }
        }
        for (Thread client : clients) {
            client.join();
        }
        // 20/s with a burst of 10 for the fleet: about 70 in 3 s; each node alone would allow about 210 in all.
        // Slack: each node may run one batch (2) into debt and one ahead.
        assertThat(ok.get()).as("served, fleet-wide").isBetween(30, (int) (20 * seconds + 10 + nodes.size() * 4 + 5));
        assertThat(limited.get()).as("refused with 429").isPositive();
    }

    /** Body bytes of a download of unknown length (GET /bytes/unsized/N) that arrive before the gateway cuts it. */
    private long download(GatewayFixture node, long size) throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(pki.clientContext(acme), node.port())) {
            client.send("GET /bytes/unsized/" + size + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head;
            try {
                head = client.readHead();
            } catch (java.io.IOException cutBeforeTheHead) {
                return 0; // the quota ran out on the first buffer: cut before anything was sent
            }
            if (head.status() != 200) {
                return 0;
            }
            long read = 0;
            byte[] buffer = new byte[16384];
            int n;
            try {
                while (read < size && (n = client.input().read(buffer)) > 0) {
                    read += n;
                }
            } catch (java.io.IOException cut) {
                // the connection was reset at the quota
            }
            return read;
        }
    }
}
