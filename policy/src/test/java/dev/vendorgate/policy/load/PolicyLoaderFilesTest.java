package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from disk: relative paths, missing files, bad bytes. */
class PolicyLoaderFilesTest {

    private static final String POLICY = """
            listeners:
              vendor:
                bind: "127.0.0.1:8443"
                tls: { cert: tls/server.pem, key: tls/server.key, clientCa: [tls/ca.pem] }
            """;

    @TempDir
    Path dir;

    @Test
    void relativePathsResolveAgainstThePolicysFolder() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("conf/tls"));
        for (String name : List.of("server.pem", "server.key", "ca.pem")) {
            Files.writeString(tls.resolve(name), "x");
        }
        Path file = dir.resolve("conf/gateway.yaml");
        Files.writeString(file, POLICY);

        Policy policy = PolicyLoader.load(file);

        assertThat(policy.listeners().vendor().tls().cert()).isEqualTo(tls.resolve("server.pem"));
        assertThat(policy.listeners().vendor().tls().clientCa()).containsExactly(tls.resolve("ca.pem"));
    }

    @Test
    void everyMissingFileIsReported() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, POLICY);

        assertThat(errors(file))
                .containsExactly(
                        file + ":4:18: listeners.vendor.tls.cert: file not found: " + dir.resolve("tls/server.pem"),
                        file + ":4:39: listeners.vendor.tls.key: file not found: " + dir.resolve("tls/server.key"),
                        file + ":4:66: listeners.vendor.tls.clientCa[0]: file not found: " + dir.resolve("tls/ca.pem"));
    }

    @Test
    void aMissingPolicyFileIsAClearError() {
        Path file = dir.resolve("absent.yaml");

        assertThat(errors(file)).containsExactly(file + ": cannot read the file: no such file");
    }

    @Test
    void aFolderIsAClearError() {
        assertThat(errors(dir)).hasSize(1).first().asString().startsWith(dir + ": cannot read the file");
    }

    @Test
    void bytesThatAreNotUtf8AreAClearError() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'v', 'e', 'r', ':', ' ', (byte) 0xE9, '\n'});

        assertThat(errors(file)).containsExactly(file + ": the file is not valid UTF-8");
    }

    @Test
    void yamlAliasesAreRefusedSoNoBombCanGoOff() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 30; i++) {
            bomb.append("b")
                    .append(i)
                    .append(": &b")
                    .append(i)
                    .append(" [*")
                    .append(i == 0 ? "a" : "b" + (i - 1))
                    .append(", *")
                    .append(i == 0 ? "a" : "b" + (i - 1))
                    .append("]\n");
        }
        Path file = dir.resolve("bomb.yaml");
        Files.writeString(file, bomb);

        assertThat(errors(file)).first().asString().isEqualTo(file + ":1:4: YAML anchors (&a) are not supported");
        assertThat(errors(file))
                .anyMatch(e -> e.equals(
                        file + ":2:10: YAML aliases (*a) are not supported; write the " + "value out in full"));
    }

    private static List<String> errors(Path file) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(file));
        assertThat(e).isNotNull();
        return e.errors().stream().map(PolicyError::toString).toList();
    }
}
