package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented example is a policy the gateway accepts and the schema accepts. */
class ExamplePoliciesTest {

    static Stream<Path> examples() throws IOException {
        Path dir = Path.of("examples");
        assertThat(dir).isDirectory();
        Stream<Path> files =
                Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
        return files;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void passesTheLoader(Path example) throws Exception {
        Policy policy = PolicyLoader.parse(Files.readString(example), example.toString(), example.getParent(), false);

        assertThat(policy.vendors()).isNotEmpty();
        assertThat(policy.routes()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void passesTheSchema(Path example) throws Exception {
        assertThat(SchemaSupport.validate(Files.readString(example))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void pointsEditorsAtTheSchema(Path example) throws Exception {
        assertThat(Files.readString(example))
                .startsWith("# yaml-language-server: $schema=../schema/gateway-policy.schema.json");
    }

    @Test
    void clientCertificateIsForwardedOnlyWhereARouteAsks() throws Exception {
        Path full = Path.of("examples/full.yaml");
        Policy policy = PolicyLoader.parse(Files.readString(full), full.toString(), full.getParent(), false);

        assertThat(policy.routes().stream().collect(Collectors.toMap(Route::id, Route::forwardClientCert)))
                .containsEntry("annotation-write", true)
                .containsEntry("dataset-read", false);
    }
}
