package dev.vendorgate.gateway.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own code loads no code at run time: no class loaders, reflection by class name, service
 * lookups, scripting or compiler APIs, native library loading, instrumentation or child processes.
 * Everything that runs is in gateway.jar and listed in its SBOM (docs/supply-chain.md). What libraries do
 * inside the jar (Netty loading its bundled BoringSSL, Jackson finding its modules) is theirs, and stays
 * within the jar.
 */
class NoCodeLoadingTest {

    private static final List<String> FORBIDDEN = List.of("ClassLoader", "Class.forName", "ServiceLoader",
            "javax.script", "ScriptEngine", "javax.tools", "jdk.jshell", "defineClass", "defineHiddenClass",
            "System.load", "Runtime.getRuntime().exec", "ProcessBuilder", "java.lang.instrument", "MethodHandles",
            "setAccessible");

    /** Sources of every module that ends up in the jar, from the gateway module's directory. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../policy/src/main/java"),
            Path.of("../certs-dev/src/main/java"));

    @Test
    void mainSourcesLoadNoCode() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path root : SOURCES) {
            assertThat(root).isDirectory();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path file : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        for (String api : FORBIDDEN) {
                            if (lines.get(i).contains(api)) {
                                found.add(file + ":" + (i + 1) + ": " + api);
                            }
                        }
                    }
                }
            }
        }
        assertThat(files).as("source files scanned").isGreaterThan(50);
        assertThat(found).as("code loading in the project's own sources").isEmpty();
    }
}
