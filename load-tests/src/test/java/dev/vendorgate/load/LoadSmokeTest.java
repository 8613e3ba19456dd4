package dev.vendorgate.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.policy.load.PolicyLoader;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against an in-process gateway (full policy: token required, limits, audit)
 * in front of the test upstream, for a couple of seconds per mode. Asserts correctness only:
 * every response is a 200 and the counts add up. Speed is for {@code load-tests/compare}.
 */
class LoadSmokeTest {

    @TempDir
    static Path dir;

    private static Channel upstream;
    private static Gateway gateway;
    private static String authorization;

    @BeforeAll
    static void start() throws Exception {
        DevPki pki = DevPki.create("lab.example");
        pki.writeCa(dir);
        pki.server("localhost", "127.0.0.1").writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
        pki.vendorClient("acme", "bench").writePem(dir.resolve("acme.pem"), dir.resolve("acme.key"));
        upstream = UpstreamCommand.start("127.0.0.1", 0, 1024, 1);
        int upstreamPort = ((InetSocketAddress) upstream.localAddress()).getPort();
        Files.writeString(dir.resolve("gateway.yaml"), """
                version: 1
                listeners:
                  vendor:
                    bind: "127.0.0.1:0"
                    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                tokens: { issuer: "https://localhost", audience: lab-data }
                upstreams:
                  data: { url: "http://127.0.0.1:%d" }
                routes:
                  - { id: read, pathPrefix: /, methods: [GET], upstream: data, scopes: [datasets:read] }
                vendors:
                  - id: acme
                    identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                    routes: [read]
                    scopes: [datasets:read]
                    limits: { requestsPerSecond: 1000000, burst: 100000, bytesOutPerDay: 1TiB }
                """.formatted(upstreamPort));
        gateway = Gateway.start(
                PolicyLoader.load(dir.resolve("gateway.yaml")),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        authorization = "Bearer " + RunCommand.token("localhost", port(), cert(), key(), ca(), "datasets:read");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close().syncUninterruptibly();
    }

    private static int port() {
        return gateway.vendorAddress().getPort();
    }

    private static Path cert() {
        return dir.resolve("acme.pem");
    }

    private static Path key() {
        return dir.resolve("acme.key");
    }

    private static Path ca() {
        return dir.resolve("ca.pem");
    }

    private static Results run(boolean h2, boolean handshake, double rate, double seconds, Path log) throws Exception {
        Generator.Plan plan =
                new Generator.Plan("localhost", port(), "/datasets/a", authorization, 4, 4, h2, handshake, rate);
        return RunCommand.run(plan, Tls.client(cert(), key(), ca(), h2), 1, 0.2, seconds, log);
    }

    private static void allOk(Results results) {
        assertThat(results.requests()).isPositive();
        assertThat(results.statuses()).containsOnlyKeys(200);
        assertThat(results.ok()).isEqualTo(results.requests());
        assertThat(results.errors()).isZero();
        assertThat(results.histogram().getTotalCount()).isEqualTo(results.requests());
    }

    @Test
    void http1KeepAliveWithAnHdrHistogramLog() throws Exception {
        Path log = dir.resolve("h1.hlog");
        allOk(run(false, false, 0, 0.6, log));
        assertThat(Files.readString(log)).contains("#[Histogram log format version", ",HISTF");
    }

    @Test
    void http2Streams() throws Exception {
        allOk(run(true, false, 0, 0.6, null));
    }

    @Test
    void aNewConnectionPerRequest() throws Exception {
        allOk(run(false, true, 0, 0.6, null));
    }

    @Test
    void openLoopSendsAboutTheRateAsked() throws Exception {
        Results results = run(false, false, 200, 1, null);
        allOk(results);
        assertThat(results.requests()).isBetween(120L, 300L); // 200/s for 1 s, give or take scheduling
    }

    @Test
    void tokenIssuanceWithAForm() throws Exception {
        Generator.Plan plan = new Generator.Plan(
                "localhost",
                port(),
                "/oauth2/token",
                null,
                2,
                1,
                false,
                false,
                0,
                "grant_type=client_credentials&scope=datasets:read");
        Results results = RunCommand.run(plan, Tls.client(cert(), key(), ca(), false), 1, 0.2, 1, null);
        allOk(results); // every POST was answered 200: a token issued
        assertThat(results.bytes() / results.requests()).isGreaterThan(200); // a token response, not an error
    }

    @Test
    void withoutTheTokenEveryRequestIsRefusedAndCountedAsSuch() throws Exception {
        Generator.Plan plan = new Generator.Plan("localhost", port(), "/datasets/a", null, 2, 1, false, false, 0);
        Results results = RunCommand.run(plan, Tls.client(cert(), key(), ca(), false), 1, 0.2, 1, null);
        assertThat(results.statuses()).containsOnlyKeys(401);
        assertThat(results.ok()).isZero();
        assertThat(Map.copyOf(results.statuses()).get(401)).isEqualTo(results.requests());
    }
}
