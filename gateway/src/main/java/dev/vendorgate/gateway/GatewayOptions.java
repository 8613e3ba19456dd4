package dev.vendorgate.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway process runs, as opposed to what it enforces (that is the policy).
 *
 * @param workerThreads event loop threads for connections; 0 means one per core
 * @param preferNio use the JDK's NIO transport even where native epoll is available
 * @param preferJdkTls use the JDK's TLS even where BoringSSL is available
 * @param shutdownGrace how long a graceful shutdown waits for requests in flight
 * @param watchPolicy reload the policy when its file changes
 * @param clock the time quota periods, suspensions and tokens are measured against
 * @param registry where the gateway registers its metrics; null: a registry of its own (never
 *     the process-wide default, so that several gateways in one process do not collide)
 */
public record GatewayOptions(int workerThreads, boolean preferNio, boolean preferJdkTls, Duration shutdownGrace,
                             boolean watchPolicy, Clock clock, PrometheusRegistry registry) {

    public static final GatewayOptions DEFAULTS = new GatewayOptions(0, false, false, Duration.ofSeconds(30), true,
            Clock.systemUTC(), null);

    public GatewayOptions {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must not be negative");
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(clock, "clock");
    }

    public GatewayOptions withClock(Clock clock) {
        return new GatewayOptions(workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry);
    }

    public GatewayOptions withShutdownGrace(Duration grace) {
        return new GatewayOptions(workerThreads, preferNio, preferJdkTls, grace, watchPolicy, clock, registry);
    }

    public GatewayOptions withRegistry(PrometheusRegistry registry) {
        return new GatewayOptions(workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry);
    }

    public GatewayOptions withPreferJdkTls(boolean jdk) {
        return new GatewayOptions(workerThreads, preferNio, jdk, shutdownGrace, watchPolicy, clock, registry);
    }
}
