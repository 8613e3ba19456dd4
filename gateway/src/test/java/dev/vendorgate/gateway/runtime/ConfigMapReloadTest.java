package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.CrlBuilder;
import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TestUpstream;
import dev.vendorgate.policy.load.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy mounted from a Kubernetes ConfigMap ({@code gateway.yaml -> ..data/gateway.yaml}, {@code ..data}
 * swapped atomically to a new timestamped folder) is reloaded when the swap happens; a CRL file added to
 * {@code tls.crl} says that it needs a restart.
 */
class ConfigMapReloadTest {

    @TempDir
    Path dir;

    @Test
    void aConfigMapSwapIsReloadedAndANewCrlFileSaysRestartNeeded() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(
                dir.resolve("ca.crl"), CrlBuilder.pem(new CrlBuilder(pki.pki().ca()).build()));
        Path mount = Files.createDirectories(dir.resolve("config"));
        try (TestUpstream upstream = new TestUpstream()) {
            String policy = Policies.TWO_VENDORS
                    .replace("${UPSTREAM_PORT}", Integer.toString(upstream.port()))
                    .replace("${DEAD_PORT}", "9")
                    .replace("server.pem", dir.resolve("server.pem").toString())
                    .replace("server.key", dir.resolve("server.key").toString())
                    .replace("[ca.pem]", "[" + dir.resolve("ca.pem") + "]");
            version(mount, "..2026_12_02_01_00_00.1", policy);
            Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_12_02_01_00_00.1"));
            Files.createSymbolicLink(mount.resolve("gateway.yaml"), Path.of("..data/gateway.yaml"));
            try (Gateway gateway = Gateway.start(
                    PolicyLoader.load(mount.resolve("gateway.yaml")),
                    GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
                assertThat(gateway.state().snapshot().access().policy().vendors())
                        .hasSize(2);

                // the kubelet's update: a new folder, a new ..data link renamed over the old one
                String withoutGlobex = policy.substring(0, policy.indexOf("  - id: globex"));
                version(mount, "..2026_12_02_01_05_00.2", withoutGlobex);
                Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_12_02_01_05_00.2"));
                Files.move(
                        mount.resolve("..data_tmp"),
                        mount.resolve("..data"),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);

                await("the reload after the ..data swap")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> gateway.reloader().last() != null);
                assertThat(gateway.state().snapshot().access().policy().vendors())
                        .as("reloaded after the swap")
                        .hasSize(1);
                assertThat(gateway.reloader().last().source()).isEqualTo("file-watcher");
                assertThat(gateway.reloader().last().applied()).isTrue();

                version(
                        mount,
                        "..2026_12_02_01_10_00.3",
                        withoutGlobex.replace(
                                "clientCa: [" + dir.resolve("ca.pem") + "] }",
                                "clientCa: [" + dir.resolve("ca.pem") + "], crl: [" + dir.resolve("ca.crl") + "] }"));
                Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..2026_12_02_01_10_00.3"));
                Files.move(
                        mount.resolve("..data_tmp"),
                        mount.resolve("..data"),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                PolicyReloader.Result result = gateway.reloader().reload("admin-api", "test");
                assertThat(result.applied())
                        .as(String.join("; ", result.errors()))
                        .isTrue();
                assertThat(result.notes())
                        .anySatisfy(note ->
                                assertThat(note).startsWith("restart needed: listeners.vendor.tls.crl changed"));
            }
        }
    }

    private static void version(Path mount, String name, String policy) throws Exception {
        Files.writeString(Files.createDirectories(mount.resolve(name)).resolve("gateway.yaml"), policy);
    }
}
