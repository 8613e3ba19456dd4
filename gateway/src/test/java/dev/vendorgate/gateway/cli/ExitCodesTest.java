package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit code 2 for a usage error on every command (an unknown or missing option, a bad value, a
 * file or folder named on the command line that is not there), told apart from 1, "it ran and
 * found a problem", so that a script can tell a typo from a finding.
 */
class ExitCodesTest {

    @TempDir
    Path dir;

    private void usage(String... args) {
        Cli result = run(args);
        assertThat(result.code())
                .as(String.join(" ", args) + "\n" + result.err())
                .isEqualTo(2);
        // the first line of the command's own: a fuzzing agent in the same test JVM may print its INFO lines before
        String err = result.err()
                .lines()
                .dropWhile(line -> line.startsWith("INFO: Instrumented "))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(err)
                .as(String.join(" ", args))
                .startsWith("error: ")
                .contains(" --help")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownAndMissingOptionsAreUsageErrorsOnEveryCommand() {
        for (String[] command : new String[][] {
            {"run"},
            {"check"},
            {"demo"},
            {"ctl", "status"},
            {"ctl", "vendors"},
            {"ctl", "revocations"},
            {"audit", "verify"},
            {"audit", "report"},
            {"audit", "exposure"},
            {"audit", "prune"},
            {"keys", "jwks"},
            {"keys", "rotate"},
            {"version"}
        }) {
            String[] unknown = java.util.Arrays.copyOf(command, command.length + 1);
            unknown[command.length] = "--no-such-flag";
            usage(unknown);
        }
        usage("run");
        usage("check");
        usage("audit", "report");
        usage("keys", "jwks");
        usage("ctl", "suspend", "acme");
        usage("ctl", "revoke", "--reason", "x");
    }

    @Test
    void badValuesAreUsageErrors() {
        usage("run", "--config", "x.yaml", "--log-level", "LOUD");
        usage("run", "--config", "x.yaml", "--workers", "many");
        usage("demo", "--vendor-port", "70000");
        usage("audit", "report", "--vendor", "acme", "--format", "xml");
        usage("ctl", "suspend", "acme", "--reason", "x", "--mode", "hard");
        usage("ctl", "report", "acme", "--format", "xml");
    }

    @Test
    void filesAndFoldersThatAreNotThereAreUsageErrors() throws Exception {
        Path absent = dir.resolve("absent");
        usage("check", "--config", absent + ".yaml");
        usage("run", "--config", absent + ".yaml");
        usage("audit", "verify", absent.toString());
        usage("audit", "verify", "--dir", absent.toString());
        usage("audit", "report", "--vendor", "acme", "--dir", absent.toString());
        usage("audit", "exposure", "--vendor", "acme", "--from", "1d", "--dir", absent.toString());
        usage("audit", "prune", "--before", "90d", "--dir", absent.toString());
        usage("keys", "jwks", "--dir", absent.toString());
        usage("ctl", "--cert", absent + ".pem", "--key", absent + ".key", "--cacert", absent + ".pem", "status");
        Path audit = Files.createDirectories(dir.resolve("audit"));
        usage("audit", "prune", "--before", "90d", "--dir", audit.toString(), "--signing-key", absent + ".key");
    }

    @Test
    void aCommandThatRanAndFoundAProblemExitsOne() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "version: 1\nlisteners: {}\n");
        assertThat(run("check", "--config", broken.toString()).code()).isEqualTo(1);
        Path audit = Files.createDirectories(dir.resolve("audit"));
        assertThat(run("audit", "report", "--vendor", "acme", "--dir", audit.toString())
                        .code())
                .as("a folder with no trail: never a false all-clear")
                .isEqualTo(1);
    }
}
