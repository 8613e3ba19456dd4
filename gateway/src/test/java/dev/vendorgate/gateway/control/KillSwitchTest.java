package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch against live traffic: when the suspend call returns, the vendor's open
 * connections are closed and its downloads cut, nothing of it succeeds any more, and the other
 * vendor never notices.
 */
class KillSwitchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BIG = 512L * 1024 * 1024;

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCertificate acme;
    IssuedCertificate globex;
    IssuedCertificate root;
    IssuedCertificate oncall;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(2)));
        acme = fixture.pki().vendor("acme", "etl");
        globex = fixture.pki().vendor("globex", null);
        root = fixture.pki().pki().operator("root");
        oncall = fixture.pki().pki().operator("oncall");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private JsonNode suspend(String vendor, String body) throws Exception {
        HttpResponse<String> response = fixture.admin(oncall, "POST", "/admin/vendors/" + vendor + "/suspend", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void suspendCutsEveryOpenConnectionAndDownloadWhileTheOtherVendorIsUntouched() throws Exception {
        // globex keeps working in a loop for the whole test
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger globexOk = new AtomicInteger();
        List<String> globexErrors = new ArrayList<>();
        HttpClient globexClient = fixture.client(globex, HttpClient.Version.HTTP_2);
        CompletableFuture<Void> globexLoop = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = fixture.get(globexClient, "/datasets/g");
                    if (r.statusCode() == 200) {
                        globexOk.incrementAndGet();
                    } else {
                        globexErrors.add(r.statusCode() + " " + r.body());
                    }
                } catch (IOException | InterruptedException e) {
                    globexErrors.add(e.toString());
                }
            }
        });

        // acme: three idle HTTP/1.1 keep-alive connections, an HTTP/2 connection, a download in progress
        List<RawHttpsClient> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port());
            client.send("GET /datasets/warm-" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            client.readBody(head.contentLength());
            idle.add(client);
        }
        HttpClient acmeH2 = fixture.client(acme, HttpClient.Version.HTTP_2);
        assertThat(fixture.get(acmeH2, "/datasets/h2-warm").statusCode()).isEqualTo(200);
        RawHttpsClient download = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port());
        download.send("GET /bytes/" + BIG + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(download.readHead().status()).isEqualTo(200);
        InputStream body = download.input();
        long received = body.readNBytes(1024 * 1024).length;
        await("acme's five connections registered")
                .atMost(Duration.ofSeconds(10))
                .until(() -> fixture.gateway().state().connections().count("acme") >= 5);

        JsonNode result = suspend("acme", "{\"reason\":\"credential leak at acme\"}");

        // the call reports what it closed, and by the time it returned, it had closed it
        assertThat(result.path("status").asText()).isEqualTo("suspended");
        assertThat(result.path("durable").asBoolean()).isTrue();
        assertThat(result.path("closed").path("connections").asInt()).isEqualTo(5);
        assertThat(result.path("closed").path("requests").asInt()).isEqualTo(1);
        assertThat(fixture.gateway().state().connections().count("acme")).isZero();
        for (RawHttpsClient client : idle) {
            assertThat(client.closedByServer()).isTrue();
        }
        received += drain(body);
        assertThat(received).as("the download was cut").isLessThan(BIG);
        // no acme request succeeds any more, on any protocol or connection
        HttpResponse<String> refused =
                fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/after");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("vendor-suspended");
        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_2), "/datasets/after-h2")
                        .statusCode())
                .isEqualTo(403);

        running.set(false);
        globexLoop.get(30, TimeUnit.SECONDS);
        assertThat(globexErrors).isEmpty();
        assertThat(globexOk.get()).isPositive();
        for (RawHttpsClient client : idle) {
            client.close();
        }
        download.close();
    }

    private static long drain(InputStream in) {
        long total = 0;
        byte[] buffer = new byte[65536];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException reset) {
            // a reset is the expected end of a cut download
        }
        return total;
    }

    @Test
    void aSeverCountsEveryStreamInFlightOnAnHttp2Connection() throws Exception {
        HttpClient acmeH2 = fixture.client(acme, HttpClient.Version.HTTP_2);
        assertThat(fixture.get(acmeH2, "/datasets/h2-warm").statusCode()).isEqualTo(200);
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // three streams of one connection, each waiting on the upstream
            slow.add(acmeH2.sendAsync(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + fixture.port() + "/slow/20000"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await("three streams in flight")
                .atMost(Duration.ofSeconds(10))
                .until(() -> fixture.gateway().state().inFlight() >= 3);

        JsonNode result = suspend("acme", "{\"reason\":\"credential leak at acme\"}");

        assertThat(result.path("closed").path("connections").asInt())
                .as(result.toString())
                .isEqualTo(1);
        assertThat(result.path("closed").path("requests").asInt())
                .as(result.toString())
                .isEqualTo(3);
        for (CompletableFuture<HttpResponse<String>> request : slow) {
            assertThat(request).failsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void drainLetsTheCurrentRequestFinishAndRefusesTheNext() throws Exception {
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return fixture.get(client, "/slow/800");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await("the slow request in flight")
                .atMost(Duration.ofSeconds(10))
                .until(() -> fixture.gateway().state().inFlight() > 0);

        JsonNode result = suspend("acme", "{\"reason\":\"planned stop\",\"mode\":\"drain\"}");

        assertThat(result.path("mode").asText()).isEqualTo("drain");
        assertThat(result.path("closed").path("requests").asInt())
                .as(result.toString())
                .isEqualTo(1);
        HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("ok GET /slow/800");
        assertThat(fixture.get(client, "/datasets/next").statusCode()).isEqualTo(403);
    }

    @Test
    void resumeLetsTheVendorBackIn() throws Exception {
        suspend("acme", "{\"reason\":\"check\"}");
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(client, "/datasets/x").statusCode()).isEqualTo(403);

        HttpResponse<String> resumed =
                fixture.admin(oncall, "POST", "/admin/vendors/acme/resume", "{\"reason\":\"all clear\"}");

        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(fixture.get(client, "/datasets/x").statusCode()).isEqualTo(200);
    }

    @Test
    void readOnlyRefusesWritesAndKeepsReads() throws Exception {
        JsonNode result = suspend("acme", "{\"reason\":\"investigating writes\",\"readOnly\":true}");

        assertThat(result.path("status").asText()).isEqualTo("read-only");
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(client, "/datasets/x").statusCode()).isEqualTo(200);
        HttpResponse<String> write = client.send(
                java.net.http.HttpRequest.newBuilder(fixture.uri("/annotations/a"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("vendor-read-only");
    }

    @Test
    void suspensionSurvivesARestart() throws Exception {
        suspend("acme", "{\"reason\":\"breach\"}");

        fixture.restart();

        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(403);
        assertThat(fixture.get(fixture.client(globex, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aPolicyReloadCannotLiftARuntimeSuspension() throws Exception {
        suspend("acme", "{\"reason\":\"breach\"}");
        String policy = Files.readString(fixture.policyFile());
        Files.writeString(
                fixture.policyFile(),
                policy.replace("routes: [dataset-read]", "routes: [dataset-read, annotation-write]"));

        HttpResponse<String> reload = fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"grant\"}");

        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void policyStatusSuspendedAlsoSuspendsAndCannotBeResumedAtRunTime() throws Exception {
        String policy = Files.readString(fixture.policyFile());
        Files.writeString(
                fixture.policyFile(),
                policy.replace("routes: [dataset-read]\n", "routes: [dataset-read]\n    status: suspended\n"));
        RawHttpsClient open = new RawHttpsClient(fixture.pki().clientContext(globex), fixture.port());
        open.send("GET /datasets/warm HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawHttpsClient.Head head = open.readHead();
        open.readBody(head.contentLength());

        HttpResponse<String> reload =
                fixture.admin(root, "POST", "/admin/policy/reload", "{\"reason\":\"suspend globex\"}");

        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(open.closedByServer())
                .as("the new policy's suspension cut the open connection")
                .isTrue();
        assertThat(fixture.get(fixture.client(globex, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> resume =
                fixture.admin(oncall, "POST", "/admin/vendors/globex/resume", "{\"reason\":\"x\"}");
        assertThat(resume.statusCode()).isEqualTo(409);
        assertThat(resume.body()).contains("suspended by the policy file");
        open.close();
    }

    @Test
    void theGlobalSwitchStopsEveryVendorAndKeepsIndividualSuspensions() throws Exception {
        suspend("acme", "{\"reason\":\"acme first\"}");

        HttpResponse<String> all = fixture.admin(root, "POST", "/admin/suspend-all", "{\"reason\":\"incident\"}");

        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(fixture.get(fixture.client(globex, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> off = fixture.admin(root, "POST", "/admin/resume-all", "{\"reason\":\"over\"}");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(fixture.get(fixture.client(globex, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .isEqualTo(200);
        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/x")
                        .statusCode())
                .as("acme's own suspension outlives the global switch")
                .isEqualTo(403);
    }
}
