package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.demo.DemoSetup;
import dev.vendorgate.gateway.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example policy passes {@code gateway check --no-resolve} as docs/configuration.md says:
 * copied into the folder {@code gateway demo} writes (its {@code certs/}), with nothing else to
 * make by hand.
 */
class PolicyExamplesCheckTest {

    private static final Path EXAMPLES = Path.of("../policy/examples");

    @TempDir
    Path dir;

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("the examples").hasSizeGreaterThanOrEqualTo(3);
            return yaml;
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleChecksInTheDemoFolder(Path example) throws Exception {
        Path demo = dir.resolve("gateway-demo");
        DemoSetup.prepare(demo, new DemoSetup.Ports(8443, 9443, 9090, 8080));
        Path copy = Files.copy(example, demo.resolve(example.getFileName()));

        // the examples' upstreams are lab host names (datasets.lab.internal): not resolvable here
        Cli result = run("check", "--config", copy.toString(), "--no-resolve");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains(": OK (");
    }
}
