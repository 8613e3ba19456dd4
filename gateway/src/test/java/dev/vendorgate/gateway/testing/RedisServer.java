package dev.vendorgate.gateway.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own, from the machine's binary, on a free port, keeping
 * nothing on disk: tests never depend on a Redis someone else runs (or on port 6379). Where no
 * {@code redis-server} is installed, {@link #start} skips the test with an assumption that says so.
 * {@link #stop} and {@link #restart} stand for a Redis that goes away and comes back empty.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server that works in {@code dir} (its log goes there), or skips the test without one. */
    public static RedisServer start(Path dir) {
        Assumptions.assumeTrue(
                installed(),
                "redis-server is not installed (not on the PATH): this test needs "
                        + "one to start its own Redis; install Redis (Debian/Ubuntu: apt-get install redis-server) to run it");
        // redis-server cannot take port 0: take a port the system says is free now
        RedisServer server = new RedisServer(dir, GatewayFixture.deadPort());
        server.restart();
        return server;
    }

    /** Whether a {@code redis-server} binary is on the PATH. */
    public static boolean installed() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    /** The URI for a {@code controlStore:} setting, {@code ?query} appended if not empty. */
    public String uri(String query) {
        return "redis://127.0.0.1:" + port + "/0" + (query.isEmpty() ? "" : "?" + query);
    }

    /** Starts the server (again, empty) on the same port; returns once it accepts connections. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on " + port + " is running");
        }
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis-" + port + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
        Process started = process;
        await("redis-server listens on " + port)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(
                                "redis-server on " + port + " exited: see " + dir.resolve("redis-" + port + ".log"));
                    }
                    return accepts();
                });
    }

    /** Stops the server (its data is gone); returns once it has exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @SuppressWarnings("try") // the resource is what is tested: that it can be opened
    private boolean accepts() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
