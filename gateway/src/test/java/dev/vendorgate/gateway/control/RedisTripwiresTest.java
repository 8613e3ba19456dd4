package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's tripwire figures on a real Redis of the test's own, as two nodes would send them:
 * counts add up, objects count once across calls and nodes (also past the script's batches of
 * 500), a network's last sighting is the fleet's from before the call, the first sighting is the
 * earliest, and the hourly history reads back.
 */
class RedisTripwiresTest {

    @TempDir
    static Path dir;

    static RedisServer server;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        server = RedisServer.start(dir);
        client = RedisClient.create(server.uri(""));
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    private static List<String> objects(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("/datasets/shard-" + i);
        }
        return out;
    }

    @Test
    void twoNodesFiguresAddUpAndTheAnswersAreTheFleets() throws Exception {
        RedisTripwires fleet = new RedisTripwires(() -> connection, "t-" + UUID.randomUUID() + ":");
        long hour = 494_000;
        long now = hour * 3600 + 60;
        RedisTripwires.Totals a = fleet.add(
                        "acme",
                        new RedisTripwires.Counts(
                                hour,
                                1000,
                                10,
                                objects(0, 1200),
                                now - 500,
                                Map.of("10.1.2.0/24", now),
                                List.of("10.1.2.0/24"),
                                now))
                .get(5, TimeUnit.SECONDS);
        assertThat(a.bytesOut()).isEqualTo(1000);
        assertThat(a.objects()).isBetween(1180L, 1220L);
        assertThat(a.lastSeen()).containsEntry("10.1.2.0/24", -1L); // asked before this call's own sighting
        assertThat(a.firstSeen()).isEqualTo(now - 500);

        // the second node: half the same objects, a network the first saw, one nobody saw; it saw acme later
        RedisTripwires.Totals b = fleet.add(
                        "acme",
                        new RedisTripwires.Counts(
                                hour,
                                500,
                                5,
                                objects(600, 1800),
                                now - 100,
                                Map.of("10.9.9.0/24", now + 5),
                                List.of("10.1.2.0/24", "10.9.9.0/24"),
                                now + 5))
                .get(5, TimeUnit.SECONDS);
        assertThat(b.bytesOut()).isEqualTo(1500);
        assertThat(b.requests()).isEqualTo(15);
        assertThat(b.objects()).as("distinct across the nodes").isBetween(1760L, 1840L);
        assertThat(b.lastSeen()).containsEntry("10.1.2.0/24", now).containsEntry("10.9.9.0/24", -1L);
        assertThat(b.firstSeen()).as("the earliest node's").isEqualTo(now - 500);

        Map<Long, RedisTripwires.Hour> history = fleet.history("acme").get(5, TimeUnit.SECONDS);
        assertThat(history).containsOnlyKeys(hour);
        assertThat(history.get(hour).bytesOut()).isEqualTo(1500);
        assertThat(history.get(hour).objects()).isEqualTo(b.objects());
    }

    @Test
    void aTripIsClaimedOnceAndRedisDownIsAFailedFuture() throws Exception {
        RedisTripwires fleet = new RedisTripwires(() -> connection, "t-" + UUID.randomUUID() + ":");
        assertThat(fleet.claim("acme", "bulk:494000", "node-1", 60).get(5, TimeUnit.SECONDS))
                .isTrue();
        assertThat(fleet.claim("acme", "bulk:494000", "node-2", 60).get(5, TimeUnit.SECONDS))
                .isFalse();
        assertThat(fleet.claim("acme", "bulk:494001", "node-2", 60).get(5, TimeUnit.SECONDS))
                .isTrue();

        RedisTripwires none = new RedisTripwires(() -> null, "t:");
        assertThat(none.history("acme")).isCompletedExceptionally();
        assertThat(none.claim("acme", "x", "n", 1)).isCompletedExceptionally();
    }
}
