package dev.vendorgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits a misbehaving vendor cannot get around, while other vendors carry on. */
class LimitsTest {

    @TempDir
    Path dir;

    private GatewayFixture start(String acmeLimits, String httpSettings, MutableClock clock) {
        String policy = Policies.TWO_VENDORS
                .replace("http: { idleTimeout: 30s }", "http: { idleTimeout: 30s" + httpSettings + " }")
                .replace(
                        "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                        "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n    limits: "
                                + acmeLimits);
        GatewayOptions options = GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1));
        return GatewayFixture.start(
                TestPki.create(dir), policy, Map.of(), clock == null ? options : options.withClock(clock));
    }

    @Test
    void manyClientsOfOneVendorCannotExceedRatePlusBurstAndOthersAreUnaffected() throws Exception {
        try (GatewayFixture fixture = start("{ requestsPerSecond: 20, burst: 10 }", "", null)) {
            List<HttpClient> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(fixture.client(fixture.pki().vendor("acme", "worker-" + i), HttpClient.Version.HTTP_1_1));
            }
            HttpClient globex = fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_2);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger limited = new AtomicInteger();
            AtomicInteger globexFailures = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(9);
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(2).toNanos();
            List<CompletableFuture<?>> running = new ArrayList<>();
            for (HttpClient client : clients) {
                running.add(CompletableFuture.runAsync(
                        () -> {
                            while (System.nanoTime() < end) {
                                int status = status(fixture, client, "/datasets/r");
                                if (status == 200) {
                                    ok.incrementAndGet();
                                } else if (status == 429) {
                                    limited.incrementAndGet();
                                }
                            }
                        },
                        pool));
            }
            running.add(CompletableFuture.runAsync(
                    () -> {
                        while (System.nanoTime() < end) {
                            if (status(fixture, globex, "/datasets/g") != 200) {
                                globexFailures.incrementAndGet();
                            }
                        }
                    },
                    pool));
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdown();

            assertThat(ok.get()).as("allowed in %.2fs", elapsed).isLessThanOrEqualTo((int) (10 + 20 * elapsed) + 1);
            assertThat(ok.get()).isGreaterThanOrEqualTo(10);
            assertThat(limited.get()).isPositive();
            assertThat(globexFailures.get()).isZero();
        }
    }

    private static int status(GatewayFixture fixture, HttpClient client, String path) {
        try {
            return fixture.get(client, path).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    @Test
    void perClientLimitsKeepOneClientFromStarvingAnother() throws Exception {
        try (GatewayFixture fixture =
                start("{ requestsPerSecond: 1000, perClient: { requestsPerSecond: 1, burst: 3 } }", "", null)) {
            HttpClient busy = fixture.client(fixture.pki().vendor("acme", "busy"), HttpClient.Version.HTTP_1_1);
            HttpClient quiet = fixture.client(fixture.pki().vendor("acme", "quiet"), HttpClient.Version.HTTP_1_1);
            for (int i = 0; i < 3; i++) {
                assertThat(fixture.get(busy, "/datasets/x").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = fixture.get(busy, "/datasets/x");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("rate-limited").contains("This client");
            assertThat(refused.headers().firstValue("ratelimit-policy")).contains("\"client\";q=3;w=3");
            assertThat(fixture.get(quiet, "/datasets/x").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsInFlightAreCapped() throws Exception {
        try (GatewayFixture fixture = start("{ maxConcurrent: 2 }", "", null)) {
            HttpClient client = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_2);
            List<CompletableFuture<Integer>> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> status(fixture, client, "/slow/1000")));
            }
            await("both slow requests in flight")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.gateway().state().inFlight() >= 2);

            HttpResponse<String> third = fixture.get(client, "/datasets/third");

            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).contains("too-many-in-flight");
            assertThat(third.headers().firstValue("ratelimit")).contains("\"in-flight\";r=0;t=1");
            assertThat(slow.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(slow.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(fixture.get(client, "/datasets/after").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void connectionsPerVendorAreCapped() throws Exception {
        try (GatewayFixture fixture = start("{ maxConnections: 2 }", "", null)) {
            IssuedCertificate acme = fixture.pki().vendor("acme", null);
            List<RawHttpsClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (RawHttpsClient client : open) {
                client.send("GET /datasets/c HTTP/1.1\r\nHost: localhost\r\n\r\n");
                statuses.add(client.readHead().status());
            }
            assertThat(statuses).containsExactly(200, 200, 429);
            for (RawHttpsClient client : open) {
                client.close();
            }
        }
    }

    @Test
    void theGatewayShedsLoadBeyondItsInFlightCap() throws Exception {
        try (GatewayFixture fixture = start("{}", ", maxInFlight: 1", null)) {
            HttpClient client = fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_2);
            CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> status(
                    fixture,
                    fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1),
                    "/slow/800"));
            await("the slow request in flight")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.gateway().state().inFlight() >= 1);

            HttpResponse<String> shed = fixture.get(client, "/datasets/x");

            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.body()).contains("overloaded");
            assertThat(shed.headers().firstValue("retry-after")).contains("1");
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    @Test
    void aDownloadCrossingTheByteQuotaIsCutAndTheNextRequestWaitsForTheNextDay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T22:00:00Z"));
        long quota = 1024 * 1024;
        try (GatewayFixture fixture = start("{ bytesOutPerDay: 1MiB }", "", clock)) {
            IssuedCertificate acme = fixture.pki().vendor("acme", null);
            long received;
            try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                // a response of unknown length is cut where it crosses the quota
                client.send("GET /bytes/unsized/" + (8 * quota) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.readHead().status()).isEqualTo(200);
                received = drain(client.input());
            }
            assertThat(received)
                    .as("cut at the quota, within one buffer")
                    .isBetween(quota - 64 * 1024, quota + 64 * 1024);

            HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
            HttpResponse<String> refused = fixture.get(client, "/datasets/more");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body())
                    .contains("quota-exceeded")
                    .contains("bytes-out")
                    .contains("2026-11-29T00:00:00Z")
                    .contains("daily quota of 1 MiB sent to the vendor");
            assertThat(refused.headers().firstValue("retry-after")).contains("7200");
            assertThat(refused.headers().firstValue("ratelimit-policy"))
                    .contains("\"bytes-out\";q=1048576;w=86400;qu=\"content-bytes\"");
            assertThat(refused.headers().firstValue("ratelimit")).contains("\"bytes-out\";r=0;t=7200");
            assertThat(fixture.get(
                                    fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_1_1),
                                    "/datasets/g")
                            .statusCode())
                    .as("other vendors are not charged")
                    .isEqualTo(200);

            // the quota outlives a restart
            fixture.restart();
            assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/after-restart")
                            .statusCode())
                    .isEqualTo(429);

            clock.advance(Duration.ofHours(2));
            assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/next-day")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aResponseLongerThanTheQuotaLeftIsRefusedBeforeAnyByteAndEveryAnswerSaysWhatIsLeft() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T22:00:00Z"));
        try (GatewayFixture fixture = start("{ requestsPerSecond: 10, burst: 20, bytesOutPerDay: 1MiB }", "", clock)) {
            HttpClient client = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1);

            HttpResponse<String> small = fixture.get(client, "/bytes/1000");
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.headers().firstValue("ratelimit-policy"))
                    .contains("\"vendor\";q=20;w=2, " + "\"bytes-out\";q=1048576;w=86400;qu=\"content-bytes\"");
            assertThat(small.headers().firstValue("ratelimit").orElseThrow())
                    .matches("\"vendor\";r=1[0-9];t=\\d+, " + "\"bytes-out\";r=104\\d{4};t=7200");

            HttpResponse<String> large = fixture.get(client, "/bytes/" + 8 * 1024 * 1024);
            assertThat(large.statusCode())
                    .as("refused before any byte, not cut mid-stream")
                    .isEqualTo(429);
            assertThat(large.body())
                    .contains("quota-exceeded")
                    .contains("8 MiB (8388608 bytes)")
                    .contains("1023.0 KiB (1047576 bytes) left")
                    .contains("bytes-out");
            assertThat(fixture.get(client, "/bytes/1000").statusCode())
                    .as("what is left still serves")
                    .isEqualTo(200);

            HttpClient h2 = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_2);
            assertThat(fixture.get(h2, "/bytes/10").headers().firstValue("ratelimit"))
                    .isPresent();
        }
    }

    @Test
    void uploadsCountAgainstTheInboundQuota() throws Exception {
        try (GatewayFixture fixture = start("{ bytesInPerDay: 100KiB }", "", new MutableClock(Instant.now()))) {
            HttpClient client = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_1_1);

            assertThat(upload(fixture, client, 60 * 1024).statusCode()).isEqualTo(200);
            HttpResponse<String> crossing = upload(fixture, client, 60 * 1024);
            assertThat(crossing.statusCode()).isEqualTo(429);
            assertThat(crossing.body()).contains("bytes-in");
            HttpResponse<String> next = upload(fixture, client, 10);
            assertThat(next.statusCode()).isEqualTo(429);
            assertThat(fixture.get(client, "/datasets/reads-still-work").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void finishModeLetsTheCrossingTransferEnd() throws Exception {
        try (GatewayFixture fixture =
                start("{ bytesOutPerDay: 100KiB, onQuotaExceeded: finish }", "", new MutableClock(Instant.now()))) {
            HttpClient client = fixture.client(fixture.pki().vendor("acme", null), HttpClient.Version.HTTP_2);

            HttpResponse<String> crossing = fixture.get(client, "/bytes/300000");

            assertThat(crossing.statusCode()).isEqualTo(200);
            assertThat(crossing.body()).hasSize(300000);
            assertThat(fixture.get(client, "/datasets/next").statusCode()).isEqualTo(429);
        }
    }

    private static HttpResponse<String> upload(GatewayFixture fixture, HttpClient client, int size) throws Exception {
        return client.send(
                HttpRequest.newBuilder(fixture.uri("/annotations/u"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long drain(InputStream in) {
        long total = 0;
        byte[] buffer = new byte[65536];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException closed) {
            // the cut
        }
        return total;
    }
}
