package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.limits.Limiters;
import dev.vendorgate.gateway.metrics.CertificateExpiry;
import dev.vendorgate.gateway.metrics.GatewayMetrics;
import dev.vendorgate.gateway.proxy.UpstreamPool;
import dev.vendorgate.gateway.transport.Transport;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state request handling shares across connections: the current policy snapshot (swapped
 * whole on reload), the registry of open connections, the per-event-loop upstream pools, and
 * whether the gateway is shutting down.
 */
public final class GatewayState {

    private final AtomicReference<GatewaySnapshot> snapshot;
    private final AtomicReference<ControlState> control;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final ClientSightings clients;
    private final IssuedTokens issuedTokens = new IssuedTokens();
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Transport transport;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile AuditLog audit;
    private final Limiters limiters;
    private final GatewayMetrics metrics;
    private final CertificateExpiry certificates = new CertificateExpiry();
    private final dev.vendorgate.gateway.token.TokenSightings tokenSightings =
            new dev.vendorgate.gateway.token.TokenSightings();
    private volatile boolean memoryPressure;
    private volatile java.util.function.BooleanSupplier failClosed = () -> false;
    private volatile boolean draining;

    public GatewayState(
            GatewaySnapshot initial, ControlState control, Transport transport, Clock clock, GatewayMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.snapshot = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.control = new AtomicReference<>(Objects.requireNonNull(control, "control"));
        this.limiters = new Limiters(clock);
        this.clients = new ClientSightings(clock);
        this.limiters.apply(initial.access().policy(), control);
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    public GatewaySnapshot snapshot() {
        return snapshot.get();
    }

    /** Installs a new snapshot; requests already running finish with the one they started with. */
    public void install(GatewaySnapshot next) {
        snapshot.set(Objects.requireNonNull(next, "next"));
        limiters.apply(next.access().policy(), control());
    }

    /** The gateway's clock (quota periods, suspension expiry, token times). */
    public Clock clock() {
        return limiters.clock();
    }

    /** The gateway's counters and histograms. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** When the client and server certificates seen expire. */
    public CertificateExpiry certificates() {
        return certificates;
    }

    /** Rate limits, requests in flight and byte quotas of every vendor. */
    /** Token ids this node issued or accepted recently (for revoking an id it has never seen). */
    public dev.vendorgate.gateway.token.TokenSightings tokenSightings() {
        return tokenSightings;
    }

    public Limiters limiters() {
        return limiters;
    }

    /** Whether all vendor traffic is refused because the fleet's shared state is out of reach (fail-closed). */
    public boolean failClosed() {
        return failClosed.getAsBoolean();
    }

    public void failClosed(java.util.function.BooleanSupplier check) {
        this.failClosed = java.util.Objects.requireNonNull(check, "check");
    }

    /** Whether buffer memory is nearly used up, so that new requests should be shed. */
    public boolean memoryPressure() {
        return memoryPressure;
    }

    public void memoryPressure(boolean pressure) {
        memoryPressure = pressure;
    }

    /** The runtime control state (suspensions, revocations, usage); read on every request. */
    public ControlState control() {
        return control.get();
    }

    /** Vendors (or {@link ControlChange#EVERY_VENDOR}) whose suspension is being made durable right now. */
    private final java.util.Set<String> suspending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Marks a suspension of {@code vendor} as on its way (from before its time is taken until it
     * applies): the token endpoint issues nothing to the vendor meanwhile, so no token can be
     * dated after the suspension's cut-off and yet minted before the suspension took hold.
     */
    public void suspending(String vendor, boolean underway) {
        if (underway) {
            suspending.add(vendor);
        } else {
            suspending.remove(vendor);
        }
    }

    /** Whether a suspension of {@code vendor}, or of every vendor, is being made durable now. */
    public boolean suspending(String vendor) {
        return !suspending.isEmpty()
                && (suspending.contains(vendor) || suspending.contains(ControlChange.EVERY_VENDOR));
    }

    /** Applies a change that is already durable; concurrent changes are applied one after another. */
    public ControlState applyControl(ControlChange change) {
        ControlState next = control.updateAndGet(current -> current.apply(change));
        if (change instanceof ControlChange.Probation || change instanceof ControlChange.EndProbation) {
            limiters.apply(snapshot().access().policy(), next);
        }
        return next;
    }

    /** Applies the limits again (a probation ended by its expiry). */
    public void reapplyLimits() {
        limiters.apply(snapshot().access().policy(), control());
    }

    /** The audit trail, or null when the gateway runs without one (embedded tests of other parts). */
    public AuditLog audit() {
        return audit;
    }

    public void audit(AuditLog audit) {
        this.audit = audit;
    }

    public ConnectionRegistry connections() {
        return connections;
    }

    /** Each vendor's clients and certificates with first and last seen (bounded). */
    public ClientSightings clients() {
        return clients;
    }

    /** The tokens this node issued to each vendor lately (bounded), for operators to pick from. */
    public IssuedTokens issuedTokens() {
        return issuedTokens;
    }

    /** The upstream pool owned by {@code loop}. */
    public UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, transport));
    }

    /** Closes idle upstream connections on every loop (shutdown). */
    public void closeUpstreamPools() {
        pools.forEach((loop, pool) -> loop.execute(pool::closeIdle));
    }

    /** Counts a request being forwarded (between its admission and the end of its response). */
    public void exchangeStarted() {
        inFlight.incrementAndGet();
    }

    public void exchangeEnded() {
        inFlight.decrementAndGet();
    }

    /** Requests being forwarded now, all connections. */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
