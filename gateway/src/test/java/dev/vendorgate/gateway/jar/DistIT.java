package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle ({@code mvn -Pdist verify}) as an operator uses it on a host without a JDK:
 * unpacked anywhere, its launcher called from another folder and through a symbolic link, it checks
 * a shipped example policy and runs a gateway that serves mTLS, answers {@code /readyz} and stops
 * on SIGTERM. Skipped outside the dist profile, which builds the bundle.
 */
class DistIT {

    @TempDir
    Path dir;

    @Test
    void theUnpackedBundleChecksAPolicyAndRunsUntilSigterm() throws Exception {
        String archive = System.getProperty("gateway.dist", "");
        assumeTrue(
                !archive.isBlank() && Files.isRegularFile(Path.of(archive)),
                "the release bundle is built by the dist profile: mvn -Pdist verify");

        Path root = unpack(Path.of(archive));
        assertThat(root.getFileName().toString()).isEqualTo("vendorgate-" + System.getProperty("gateway.version"));
        assertThat(root.resolve("runtime/bin/java")).isExecutable();
        assertThat(root.resolve("lib/gateway.jar")).isRegularFile();
        assertThat(root.resolve("systemd/vendorgate.service"))
                .content()
                .contains("ExecStart=/opt/vendorgate/bin/vendorgate run");
        assertThat(root.resolve("Dockerfile")).isRegularFile();
        assertThat(root.resolve("docs/deployment.md")).isRegularFile();
        assertThat(root.resolve("LICENSE")).isRegularFile();
        // an operator's PATH entry: a symbolic link, called from another folder
        Path bin = Files.createDirectories(dir.resolve("usr/bin"));
        Path launcher = Files.createSymbolicLink(bin.resolve("vendorgate"), root.resolve("bin/vendorgate"));
        Path work = Files.createDirectories(dir.resolve("etc"));

        // a shipped example, with certificates where it expects them
        Path certs = Files.createDirectories(root.resolve("examples/certs"));
        TestPki.create(certs);
        Files.copy(certs.resolve("ca.pem"), certs.resolve("vendors-ca.pem"));
        try (JarProcess check = JarProcess.command(
                work,
                List.of(
                        launcher.toString(),
                        "check",
                        "--config",
                        root.resolve("examples/minimal.yaml").toString()))) {
            assertThat(check.waitFor(Duration.ofSeconds(60))).as(check.output()).isZero();
        }

        TestPki pki = TestPki.create(work);
        int vendorPort = GatewayFixture.deadPort();
        int metricsPort = GatewayFixture.deadPort();
        try (TestUpstream upstream = new TestUpstream()) {
            Files.writeString(work.resolve("gateway.yaml"), """
                    version: 1
                    listeners:
                      vendor:
                        bind: "127.0.0.1:%d"
                        tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                      metrics:
                        bind: "127.0.0.1:%d"
                    upstreams:
                      data: { url: "http://127.0.0.1:%d" }
                    routes:
                      - { id: dataset-read, pathPrefix: /datasets, methods: [GET], upstream: data }
                    vendors:
                      - id: acme
                        identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                        routes: [dataset-read]
                    """.formatted(vendorPort, metricsPort, upstream.port()));
            try (JarProcess run =
                    JarProcess.command(work, List.of(launcher.toString(), "run", "--config", "gateway.yaml"))) {
                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
                Awaitility.await("/readyz answers 200")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> run.isAlive()
                                && plain.send(readyz, HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200);

                // mutual TLS through the bundled runtime: EC keys, the native TLS library
                IssuedCertificate acme = pki.vendor("acme", null);
                HttpClient vendor = HttpClient.newBuilder()
                        .sslContext(pki.clientContext(acme))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpResponse<String> read = vendor.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + vendorPort + "/datasets/a"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).isEqualTo("ok GET /datasets/a");

                run.terminate();
                assertThat(run.waitFor(Duration.ofSeconds(30))).as(run.output()).isZero();
                assertThat(run.output()).contains("gateway stopped").doesNotContain("Exception");
                assertThat(run.output())
                        .as("the bundled runtime loads BoringSSL")
                        .contains("BoringSSL");
            }
        }
    }

    private Path unpack(Path archive) throws Exception {
        Path into = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as(output).isZero();
        try (Stream<Path> entries = Files.list(into)) {
            List<Path> top = entries.toList();
            assertThat(top).as("one top folder").hasSize(1);
            return top.get(0);
        }
    }
}
