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
 * @param periods how often the gateway looks again at what changes under it
 */
public record GatewayOptions(
        int workerThreads,
        boolean preferNio,
        boolean preferJdkTls,
        Duration shutdownGrace,
        boolean watchPolicy,
        Clock clock,
        PrometheusRegistry registry,
        Periods periods) {

    public static final GatewayOptions DEFAULTS =
            new GatewayOptions(0, false, false, Duration.ofSeconds(30), true, Clock.systemUTC(), null);

    /**
     * How often the gateway re-checks what can change under it.
     *
     * @param crlCheck how often the listeners' CRL files are checked for changes
     * @param heartbeat how often a fleet node announces itself in Redis and counts the others (its
     *     announcement lives three periods), and how soon it tries again to reach a Redis that is away
     * @param resync how often a fleet node compares its journal with the fleet's history in Redis
     * @param tripwireCheck how often the tripwire rules are evaluated (and, in a fleet, the counts
     *     exchanged with the other nodes)
     */
    public record Periods(Duration crlCheck, Duration heartbeat, Duration resync, Duration tripwireCheck) {

        public static final Periods DEFAULTS =
                new Periods(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1));

        public Periods {
            positive(crlCheck, "crlCheck");
            positive(heartbeat, "heartbeat");
            positive(resync, "resync");
            positive(tripwireCheck, "tripwireCheck");
        }

        public Periods withCrlCheck(Duration period) {
            return new Periods(period, heartbeat, resync, tripwireCheck);
        }

        public Periods withHeartbeat(Duration period) {
            return new Periods(crlCheck, period, resync, tripwireCheck);
        }

        public Periods withResync(Duration period) {
            return new Periods(crlCheck, heartbeat, period, tripwireCheck);
        }

        public Periods withTripwireCheck(Duration period) {
            return new Periods(crlCheck, heartbeat, resync, period);
        }

        private static void positive(Duration period, String name) {
            Objects.requireNonNull(period, name);
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    public GatewayOptions {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must not be negative");
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(periods, "periods");
    }

    /** Options with the default {@link Periods}. */
    public GatewayOptions(
            int workerThreads,
            boolean preferNio,
            boolean preferJdkTls,
            Duration shutdownGrace,
            boolean watchPolicy,
            Clock clock,
            PrometheusRegistry registry) {
        this(workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry, Periods.DEFAULTS);
    }

    public GatewayOptions withClock(Clock clock) {
        return new GatewayOptions(
                workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry, periods);
    }

    public GatewayOptions withShutdownGrace(Duration grace) {
        return new GatewayOptions(workerThreads, preferNio, preferJdkTls, grace, watchPolicy, clock, registry, periods);
    }

    public GatewayOptions withRegistry(PrometheusRegistry registry) {
        return new GatewayOptions(
                workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry, periods);
    }

    public GatewayOptions withPeriods(Periods periods) {
        return new GatewayOptions(
                workerThreads, preferNio, preferJdkTls, shutdownGrace, watchPolicy, clock, registry, periods);
    }

    public GatewayOptions withPreferJdkTls(boolean jdk) {
        return new GatewayOptions(workerThreads, preferNio, jdk, shutdownGrace, watchPolicy, clock, registry, periods);
    }
}
