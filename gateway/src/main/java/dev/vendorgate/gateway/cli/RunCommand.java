package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Units;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code gateway run --config FILE}: serve until SIGTERM or SIGINT, then shut down gracefully. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway with a policy file.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the policy file")
    Path config;

    @Option(
            names = "--workers",
            paramLabel = "N",
            defaultValue = "0",
            description = "event loop threads (default: one per core)")
    int workers;

    @Option(names = "--nio", description = "use the JDK's NIO transport even where native epoll is available")
    boolean nio;

    @Option(names = "--jdk-tls", description = "use the JDK's TLS even where BoringSSL is available")
    boolean jdkTls;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "how long shutdown waits for requests in flight (default: ${DEFAULT-VALUE})")
    String shutdownGrace;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "TEXT",
            description = "log line format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    LogSetup.Format logFormat;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = "INFO",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    LogSetup.Verbosity logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Duration grace;
        try {
            grace = Units.parseDuration(shutdownGrace);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--shutdown-grace: " + e.getMessage());
        }
        if (workers < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must not be negative");
        }
        CommandLineFiles.requireFile(spec, "--config", config);
        LogSetup.configure(logFormat, logLevel);
        leakDetectionOffUnlessAsked();
        pooledBuffersByDirectMemoryUnlessAsked();
        Policy policy = PolicyFiles.load(config, err);
        if (policy == null) {
            return 1;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(
                    policy, new GatewayOptions(workers, nio, jdkTls, grace, true, java.time.Clock.systemUTC(), null));
        } catch (GatewayConfigException e) {
            e.errors().forEach(line -> err.println(config + ": " + line));
            err.flush();
            return 1;
        }
        reloadOnHangup(gateway);
        awaitShutdown(gateway);
        return 0;
    }

    /**
     * Netty's buffer leak detection samples one buffer in 128 and records a stack trace for it: about 7% of the
     * gateway's CPU per request under load (load-tests/RESULTS.md, 2026-12-03). A debugging aid, so {@code run}
     * turns it off unless the JVM is started with {@code -Dio.netty.leakDetection.level=simple} (or
     * {@code advanced}, {@code paranoid}); the test suite, which starts gateways in its own JVM, keeps Netty's default.
     */
    static void leakDetectionOffUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Below this much direct memory, Netty's buffer allocator keeps to its small-memory mode. */
    static final long LOW_DIRECT_MEMORY = 128L * 1024 * 1024;

    /**
     * Netty's buffer allocator runs in a small-memory mode when the <em>heap</em> is at most 512 MiB: no buffers
     * per event loop, shared pools the loops contend for, and a fresh zeroed buffer for anything over 16 KiB. The
     * gateway keeps its buffers in direct memory, not on the heap, and the launcher gives it {@code -Xmx512m
     * -XX:MaxDirectMemorySize=1g}: that mode cost about 5% of the CPU per request (load-tests/RESULTS.md,
     * 2026-12-03). So {@code run} decides by the direct memory instead: with at least 128 MiB of it, the full
     * allocator. {@code -Dio.netty.allocator.lowMemory=true|false} still decides when given.
     */
    static void pooledBuffersByDirectMemoryUnlessAsked() {
        if (System.getProperty("io.netty.allocator.lowMemory") == null
                && io.netty.util.internal.PlatformDependent.maxDirectMemory() >= LOW_DIRECT_MEMORY) {
            System.setProperty("io.netty.allocator.lowMemory", "false");
        }
    }

    /** SIGHUP reloads the policy, as with nginx and HAProxy; off the signal thread, audited like any reload. */
    static void reloadOnHangup(Gateway gateway) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                Thread reload = new Thread(() -> gateway.reloader().reload("signal", "SIGHUP"), "vendorgate-sighup");
                reload.setDaemon(true);
                reload.start();
            });
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform: the file watcher and the admin API still reload
        }
    }

    /**
     * Blocks until the process is asked to stop (SIGTERM or SIGINT), then closes {@code closeables}
     * gracefully, in order, and returns, so that the process exits with status 0 after a clean stop.
     * A shutdown hook closes them too if the JVM is stopped another way.
     */
    static void awaitShutdown(AutoCloseable... closeables) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeAll = () -> {
            if (closed.compareAndSet(false, true)) {
                for (AutoCloseable closeable : closeables) {
                    try {
                        closeable.close();
                    } catch (Exception | Error e) {
                        // shutting down: say what failed and carry on closing the rest
                        System.err.println(
                                "error while stopping " + closeable.getClass().getSimpleName() + ": " + e);
                    }
                }
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // this platform does not have the signal; the shutdown hook still covers it
            }
        }
        Thread hook = new Thread(closeAll, "vendorgate-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // stopped (SIGTERM) while starting, before the handlers above were in place: stop now, quietly
            closeAll.run();
            return;
        }
        stop.await();
        closeAll.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
