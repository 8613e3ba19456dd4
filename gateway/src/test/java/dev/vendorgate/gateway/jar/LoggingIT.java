package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jar writes to standard error is the gateway's own log lines: no SLF4J "no provider" notice from
 * a dependency, and with {@code --log-format json} every line is a JSON object a log shipper can read.
 */
class LoggingIT {

    @TempDir
    Path work;

    @Test
    void noSlf4jNoticeAndJsonLinesOnly() throws Exception {
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
            // the guide is printed once the demo is up
            demo.awaitLine(
                    l -> l.contains("vendor listener") && l.contains("https://localhost:"), Duration.ofSeconds(60));
            demo.terminate();
            demo.waitFor(Duration.ofSeconds(20));
            assertThat(demo.output()).doesNotContain("SLF4J");
        }
        try (JarProcess check = JarProcess.start(
                work, "check", "--config", dir.resolve("gateway.yaml").toString())) {
            assertThat(check.waitFor(Duration.ofSeconds(60))).as(check.output()).isZero();
            assertThat(check.output()).doesNotContain("SLF4J");
        }
        try (JarProcess run = JarProcess.start(
                work, "run", "--config", dir.resolve("gateway.yaml").toString(), "--log-format", "json")) {
            run.awaitLine(l -> l.contains("\"message\":\"policy "), Duration.ofSeconds(60));
            run.terminate();
            run.waitFor(Duration.ofSeconds(20));
            ObjectMapper json = new ObjectMapper();
            for (String line : run.output().split("\n")) {
                assertThat(line).as(run.output()).startsWith("{");
                assertThat(json.readTree(line).isObject()).as(line).isTrue();
            }
            assertThat(run.output()).contains("vendor listener on");
        }
    }
}
