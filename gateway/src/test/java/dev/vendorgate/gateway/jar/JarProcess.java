package dev.vendorgate.gateway.jar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The built {@code gateway.jar} run as a user runs it: a separate JVM, its output read line by line. */
final class JarProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private JarProcess(Process process) {
        this.process = process;
        reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // process ended
                    }
                },
                "jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("gateway.jar", "target/gateway.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        return jar;
    }

    static JarProcess start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return command(workDir, command);
    }

    /** Any command (the release bundle's launcher), its output read the same way. */
    static JarProcess command(Path workDir, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        return new JarProcess(process);
    }

    /** Runs to completion and returns the exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not finish in " + timeout + "; output:\n" + output());
        }
        reader.join(5000); // every line the process wrote
        return process.exitValue();
    }

    /** Waits for a line matching {@code test}. */
    String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
        try {
            // polled until a line matches or the process has exited (then one last look at what it wrote)
            Awaitility.await("a matching line")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || lines.stream().anyMatch(test));
        } catch (ConditionTimeoutException e) {
            // reported below with the output
        }
        return lines.stream()
                .filter(test)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no matching line within " + timeout + "; output:\n" + output()));
    }

    String output() {
        return String.join("\n", lines);
    }

    /**
     * SIGTERM, as an init system stops a service. Through the process handle: {@code Process.destroy()}
     * would also close our end of the process's output, losing what it prints while stopping.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
