package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vendorgate.gateway.VersionInfo;
import dev.vendorgate.gateway.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
        Cli result = run("version");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("vendorgate gateway ").contains("\njar     none: not running from a jar");
        assertThat(result.out()).contains("\ncommit  " + VersionInfo.commit() + "\n");
        assertThat(result.out()).doesNotContain("sha256");
    }

    @Test
    void theCommitIsTheOneGitReportsForThisCheckout() throws Exception {
        String head = gitHead();
        assumeTrue(
                head != null,
                "not in a git checkout (or git is not installed): the build cannot have "
                        + "recorded a commit to compare with");

        // the build records HEAD, with -dirty when tracked files had uncommitted changes
        assertThat(VersionInfo.commit()).matches(Pattern.quote(head) + "(-dirty)?");
        assertThat(run("--version").out()).contains("\ncommit " + VersionInfo.commit() + "\n");
    }

    /** What {@code git rev-parse --verify HEAD} says in the module's directory, or null without git or a checkout. */
    private static String gitHead() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--verify", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0 || !out.matches("[0-9a-f]{40,64}")) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null; // no git
        }
    }

    @Test
    void jsonForScripts() throws Exception {
        Cli result = run("version", "--json");

        assertThat(result.code()).as(result.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode info =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
        assertThat(info.path("version").asText()).isEqualTo(VersionInfo.version());
        assertThat(info.path("commit").asText()).isEqualTo(VersionInfo.commit());
        assertThat(info.path("jar").isNull()).as("not running from a jar").isTrue();
    }

    @Test
    void sha256OfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");

        assertThat(VersionInfo.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
