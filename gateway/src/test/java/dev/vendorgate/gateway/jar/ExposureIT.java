package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposure manifest as an incident responder makes and checks it with the built jar, from
 * the trail the demo wrote: the demo prints the commands, and they work as printed.
 */
class ExposureIT {

    @TempDir
    Path work;

    @Test
    void theBuiltJarWritesAManifestOfTheDemoTrafficAndVerifiesIt() throws Exception {
        Path dir = work.resolve("demo");
        try (JarProcess demo = JarProcess.start(
                work,
                "demo",
                "--dir",
                dir.toString(),
                "--vendor-port",
                "0",
                "--admin-port",
                "0",
                "--metrics-port",
                "0",
                "--upstream-port",
                "0")) {
            String listener = demo.awaitLine(
                    l -> l.contains("vendor listener") && l.contains("https://localhost:"), Duration.ofSeconds(60));
            int port = Integer.parseInt(listener.replaceAll(".*https://localhost:(\\d+).*", "$1"));
            demo.awaitLine(l -> l.contains("Stop with Ctrl-C"), Duration.ofSeconds(30));
            assertThat(demo.output())
                    .contains("ctl suspend acme --breach")
                    .contains("audit exposure --vendor acme")
                    .contains("audit verify-manifest")
                    .contains("ctl end-probation acme");
            HttpClient acme = DemoIT.client(dir.resolve("certs"), "acme");
            HttpResponse<String> token = acme.send(
                    HttpRequest.newBuilder(DemoIT.uri(port, "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "grant_type=client_credentials&scope=datasets:read"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String jwt = token.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> list =
                    acme.send(DemoIT.get(port, "/datasets/", jwt), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            demo.terminate();
            assertThat(demo.waitFor(Duration.ofSeconds(30))).isZero();
        }
        Path manifest = work.resolve("acme-exposure.json");
        try (JarProcess exposure = JarProcess.start(
                work,
                "audit",
                "exposure",
                "--vendor",
                "acme",
                "--from",
                "1h",
                "--dir",
                dir.resolve("audit").toString(),
                "--signing-key",
                dir.resolve("audit-key/audit-signing.key").toString(),
                "--format",
                "json",
                "--out",
                manifest.toString())) {
            assertThat(exposure.waitFor(Duration.ofSeconds(60)))
                    .as(exposure.output())
                    .isZero();
        }
        assertThat(Files.readString(manifest)).contains("\"path\" : \"/datasets/\"");
        try (JarProcess verify = JarProcess.start(
                work,
                "audit",
                "verify-manifest",
                manifest.toString(),
                "--dir",
                dir.resolve("audit").toString())) {
            assertThat(verify.waitFor(Duration.ofSeconds(60)))
                    .as(verify.output())
                    .isZero();
            assertThat(verify.output()).contains("OK: the manifest of acme (1 objects, 0 uploads, 1 records)");
        }
    }
}
