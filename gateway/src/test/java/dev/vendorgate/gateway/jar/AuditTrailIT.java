package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail as an operator meets it through the built jar: a tail cut while the gateway
 * was down is not laundered by the next start, and the signing key is not in the audit folder.
 */
class AuditTrailIT {

    @TempDir
    Path work;

    private int runDemoOnce(Path dir, boolean request) throws Exception {
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
            if (request) {
                HttpClient acme = DemoIT.client(dir.resolve("certs"), "acme");
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> response = acme.send(
                            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/datasets/"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(401);
                }
            }
            demo.terminate();
            return demo.waitFor(Duration.ofSeconds(30));
        }
    }

    private String verify(Path audit, int expectedExit) throws Exception {
        try (JarProcess verify = JarProcess.start(work, "audit", "verify", audit.toString())) {
            assertThat(verify.waitFor(Duration.ofSeconds(60)))
                    .as(verify.output())
                    .isEqualTo(expectedExit);
            return verify.output();
        }
    }

    @Test
    void aCutTailStaysFoundAfterARestart() throws Exception {
        Path dir = work.resolve("demo");
        assertThat(runDemoOnce(dir, true)).isZero();
        Path audit = dir.resolve("audit");
        assertThat(audit.resolve("audit-signing.key"))
                .as("the signing key lives outside the trail")
                .doesNotExist();
        assertThat(verify(audit, 0)).contains("OK:");

        Path file;
        try (Stream<Path> files = Files.list(audit)) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 3)); // the final checkpoint and two records
        assertThat(verify(audit, 1)).contains("tail of the trail was cut");

        assertThat(runDemoOnce(dir, false)).isZero();

        assertThat(verify(audit, 1)).as("a restart must not launder the cut").contains("found this trail broken");
    }
}
