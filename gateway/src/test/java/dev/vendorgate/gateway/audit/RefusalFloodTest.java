package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One vendor hammering paths with no route cannot flood the trail (and so the disk, and so
 * every vendor under a fail-closed trail): refusals count against its rate and identical ones
 * are aggregated, while the counts stay exact and another vendor keeps working.
 */
class RefusalFloodTest {

    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    /** Bytes of the trail's lines about acme (globex's own requests are recorded one by one, as they should be). */
    private long auditBytes(Path audit) throws Exception {
        try (Stream<Path> files = Files.list(audit)) {
            long total = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                for (String line : Files.readAllLines(file)) {
                    total += line.contains("\"vendor\":\"acme\"") ? line.length() + 1 : 0;
                }
            }
            return total;
        }
    }

    @Test
    void aRefusalFloodLeavesABoundedTrailWithExactCountsWhileAnotherVendorWorks() throws Exception {
        String policy = Policies.WITH_ADMIN.replace(
                "    routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n",
                "    routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n"
                        + "    limits: { requestsPerSecond: 10, burst: 10 }\n");
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                policy,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
            Path audit = fixture.pki().dir().resolve("audit");
            HttpClient globex = fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_1_1);
            assertThat(fixture.get(globex, "/datasets/warm").statusCode()).isEqualTo(200);
            long before = auditBytes(audit);

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong answered = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<RawHttpsClient> connections = new ArrayList<>();
            byte[] request =
                    "GET /no-route/probe HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int c = 0; c < 4; c++) {
                RawHttpsClient connection = new RawHttpsClient(
                        fixture.pki().clientContext(fixture.pki().vendor("acme", "flood")), fixture.port());
                connections.add(connection);
                OutputStream out = connection.output();
                InputStream in = connection.input();
                threads.add(new Thread(() -> {
                    try {
                        while (flooding.get()) {
                            for (int i = 0; i < 32; i++) {
                                out.write(request);
                            }
                            out.flush();
                        }
                    } catch (Exception e) {
                        // the gateway may close a connection under the flood
                    }
                }));
                threads.add(new Thread(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    try {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            for (int i = 0; i + 8 < n; i++) {
                                if (buffer[i] == 'H'
                                        && buffer[i + 1] == 'T'
                                        && buffer[i + 5] == '1'
                                        && buffer[i + 8] == ' ') {
                                    answered.incrementAndGet();
                                }
                            }
                        }
                    } catch (Exception e) {
                        // closed
                    }
                }));
            }
            threads.forEach(Thread::start);
            long start = System.nanoTime();
            int globexOk = 0;
            int globexTotal = 0;
            List<String> globexFailures = new ArrayList<>();
            while (System.nanoTime() - start < FLOOD_NANOS) {
                globexTotal++;
                HttpResponse<String> during = fixture.get(globex, "/datasets/during");
                if (during.statusCode() == 200) {
                    globexOk++;
                } else {
                    globexFailures.add(during.statusCode() + " " + during.body());
                }
            }
            flooding.set(false);
            for (RawHttpsClient connection : connections) {
                connection.close();
            }
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            fixture.gateway().close(); // writes what is counted and signs it
            long grown = auditBytes(audit) - before;

            assertThat(answered.get()).as("the flood was a flood").isGreaterThan(2_000);
            assertThat(globexOk).as("globex kept working: " + globexFailures).isEqualTo(globexTotal);
            // one full record and one count per kind of refusal per second: tens of KiB, not megabytes
            assertThat(grown).as(answered.get() + " refusals in 10 s").isLessThan(64 * 1024);
            AuditReport report = AuditReport.build(audit, "acme", null, null);
            // every answer the client read is counted, and those still on the wire when it hung up
            assertThat(report.denied())
                    .as("every refusal counted")
                    .isBetween(answered.get(), answered.get() + answered.get() / 100 + 1_000);
            assertThat(report.denials()).containsKeys("rate-limited");
        }
    }
}
