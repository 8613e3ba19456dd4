package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway check} and {@code --version} from the built jar: what deploy scripts call. */
class CheckIT {

    @TempDir
    Path work;

    @Test
    void checkExitCodesFromTheJar() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "listeners: {}\nroutes: nope\n");
        try (JarProcess check = JarProcess.start(work, "check", "--config", bad.toString())) {
            assertThat(check.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(check.output())
                    .contains("bad.yaml:1:12: listeners.vendor: is required")
                    .contains("routes: expected a list, found a string")
                    .doesNotContain("Exception");
        }
        try (JarProcess usage = JarProcess.start(work, "check")) {
            assertThat(usage.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
        }
        try (JarProcess version = JarProcess.start(work, "--version")) {
            assertThat(version.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(version.output()).startsWith("vendorgate gateway 0.1.0");
        }
    }
}
