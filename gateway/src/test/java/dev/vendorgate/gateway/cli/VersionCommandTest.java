package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.VersionInfo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway version} from the classes directory, as tests and IDEs run it: it says it is not a jar.
 * The packaged jar (its SHA-256 and SBOM) is covered by {@code jar.VersionIT}.
 */
class VersionCommandTest {

    @TempDir
    Path dir;

    @Test
    void saysWhenNotRunningFromAJar() {
        Result result = run("version");

        assertThat(result.code).as(result.err).isZero();
        assertThat(result.out).startsWith("vendorgate gateway ").contains("\njar     none: not running from a jar");
        assertThat(result.out).contains("\ncommit  " + VersionInfo.commit() + "\n");
        assertThat(result.out).doesNotContain("sha256");
    }

    @Test
    void commitComesFromTheBuild() {
        assertThat(VersionInfo.commit()).isNotBlank().doesNotContain("${");
        assertThat(run("--version").out).contains("\ncommit " + VersionInfo.commit() + "\n");
    }

    @Test
    void sha256OfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");

        assertThat(VersionInfo.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = GatewayCommand.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
