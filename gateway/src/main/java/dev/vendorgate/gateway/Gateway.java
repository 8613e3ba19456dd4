package dev.vendorgate.gateway;

import dev.vendorgate.gateway.admin.AdminChannelInitializer;
import dev.vendorgate.gateway.admin.AdminService;
import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.audit.AuditSettings;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.control.FileControlStore;
import dev.vendorgate.gateway.control.RedisControlStore;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.frontend.ConnectionCutter;
import dev.vendorgate.gateway.frontend.VendorChannelInitializer;
import dev.vendorgate.gateway.frontend.VendorConnection;
import dev.vendorgate.gateway.health.HealthChannelInitializer;
import dev.vendorgate.gateway.health.Readiness;
import dev.vendorgate.gateway.metrics.GatewayMetrics;
import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.gateway.runtime.MemoryPressure;
import dev.vendorgate.gateway.runtime.PolicyReloader;
import dev.vendorgate.gateway.runtime.SnapshotBuilder;
import dev.vendorgate.gateway.runtime.StateGauges;
import dev.vendorgate.gateway.runtime.SuspensionExpiry;
import dev.vendorgate.gateway.tls.ClientCertificateTrust;
import dev.vendorgate.gateway.tls.CrlWatcher;
import dev.vendorgate.gateway.tls.ListenerTls;
import dev.vendorgate.gateway.tls.ServerTlsContexts;
import dev.vendorgate.gateway.tls.TlsFiles;
import dev.vendorgate.gateway.tls.TlsProvider;
import dev.vendorgate.gateway.transport.Transport;
import dev.vendorgate.gateway.tripwire.TripwireWatch;
import dev.vendorgate.policy.AuditSpec;
import dev.vendorgate.policy.Endpoint;
import dev.vendorgate.policy.Listeners;
import dev.vendorgate.policy.Policy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running gateway: its listeners, event loops and shared state. {@link #start} returns once
 * the control state is restored and every listener is bound; {@link #close} stops accepting,
 * lets requests in flight finish (up to the grace period), then closes everything.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    /** How long a suspension waits for the other nodes of a fleet to say they applied it. */
    private static final java.time.Duration FLEET_ACK_TIMEOUT = java.time.Duration.ofSeconds(2);

    static {
        // the JDK's TLS (the fallback provider) refuses client-initiated renegotiation in TLS 1.2 (BoringSSL
        // never renegotiates as a server; TLS 1.3 has no renegotiation); an operator's explicit setting wins
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final GatewayOptions options;
    private final GatewayState state;
    private final TripwireWatch tripwires;
    private final Transport transport;
    private final TlsProvider tlsProvider;
    private final ControlStore store;
    private final KillSwitch killSwitch;
    private final PolicyReloader reloader;
    private final Readiness readiness;
    private final Clock clock;
    private final PrometheusRegistry registry;
    private final Instant startedAt;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /**
     * The admin listener's own event loop: an operator's call (a suspension above all) is never
     * queued behind vendor traffic on the workers, whatever a vendor sends.
     */
    private final EventLoopGroup adminLoop;

    private final ScheduledExecutorService maintenance;
    private final ExecutorService blocking;
    private final List<Channel> listeners = new ArrayList<>();
    private final CrlWatcher crlWatcher = new CrlWatcher();
    private Channel vendorListener;
    private Channel adminListener;
    private Channel metricsListener;
    private boolean closed;

    private Gateway(
            GatewayOptions options,
            Policy policy,
            GatewaySnapshot snapshot,
            ControlStore store,
            ControlState control,
            AuditLog audit) {
        this.options = options;
        this.clock = options.clock();
        this.startedAt = clock.instant();
        this.transport = Transport.detect(options.preferNio());
        this.tlsProvider = TlsProvider.detect(options.preferJdkTls());
        this.store = store;
        this.registry = options.registry() != null ? options.registry() : new PrometheusRegistry();
        this.state = new GatewayState(snapshot, control, transport, clock, new GatewayMetrics(registry, clock));
        StateGauges.register(
                registry,
                state,
                Map.of(
                        "version",
                        VersionInfo.version(),
                        "transport",
                        transport.description(),
                        "tls",
                        tlsProvider.description()));
        JvmMetrics.builder().register(registry);
        this.state.audit(audit);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("vendorgate-maintenance"));
        this.killSwitch = new KillSwitch(state, store, clock, ConnectionCutter::cut, maintenance);
        store.onRemoteChange(killSwitch::applyRemote);
        state.failClosed(store::refusesTraffic);
        store.quotas().ifPresent(state.limiters()::leaser); // in a fleet, byte quotas count across it
        this.tripwires = TripwireWatch.start(
                state,
                killSwitch,
                policy.state().dir(),
                clock,
                hostName(),
                store,
                options.periods().tripwireCheck());
        this.reloader = new PolicyReloader(state, policy.source(), killSwitch);
        this.readiness = new Readiness(state, store);
        this.boss = transport.newGroup(1, "vendorgate-accept");
        int threads = options.workerThreads() > 0
                ? options.workerThreads()
                : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(threads, "vendorgate-io");
        this.adminLoop = transport.newGroup(1, "vendorgate-admin");
        this.blocking = Executors.newCachedThreadPool(daemon("vendorgate-blocking"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Restores the control state, opens the audit trail and binds every listener of {@code policy}.
     *
     * @throws GatewayConfigException when a file cannot be used, a host cannot be resolved, the
     *     state folder is taken or a port is in use
     */
    public static Gateway start(Policy policy, GatewayOptions options) throws GatewayConfigException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
        GatewaySnapshot snapshot = SnapshotBuilder.build(policy);
        ControlStore store;
        ControlState control;
        try {
            store = policy.state().redis().isPresent()
                    ? RedisControlStore.open(
                            policy.state().redis().get(),
                            policy.state().dir(),
                            options.clock(),
                            FLEET_ACK_TIMEOUT,
                            options.periods().heartbeat(),
                            options.periods().resync())
                    : FileControlStore.open(policy.state().dir(), options.clock());
        } catch (IOException e) {
            throw new GatewayConfigException(
                    "controlStore: cannot open " + policy.state().dir() + ": " + e.getMessage());
        }
        AuditLog audit;
        try {
            control = store.load();
            AuditSpec spec = policy.audit();
            audit = AuditLog.open(
                    new AuditSettings(
                            spec.dir(),
                            spec.failClosed(),
                            65_536,
                            spec.checkpointInterval(),
                            spec.maxFileBytes(),
                            spec.signingKey()),
                    options.clock());
        } catch (IOException e) {
            store.close();
            throw new GatewayConfigException(e.getMessage());
        }
        // anchor each checkpoint outside this host (Redis in a fleet): a trail rewritten here later disagrees with it
        String auditNode = hostName() + ":" + policy.audit().dir().toAbsolutePath();
        ControlStore anchors = store;
        audit.onCheckpoint(head -> anchors.auditHead(auditNode, head.text()));
        Gateway gateway = new Gateway(options, policy, snapshot, store, control, audit);
        try {
            gateway.bind(policy.listeners());
        } catch (GatewayConfigException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void bind(Listeners config) throws GatewayConfigException {
        Listeners.VendorListener vendor = config.vendor();
        ListenerTls vendorTls = tls("vendor", vendor.tls(), true);
        recordServerCertificate("vendor", vendor.tls());
        vendorListener = listen(
                new VendorChannelInitializer(
                        state, vendorTls, vendor.tls().handshakeTimeout(), vendor.http(), tripwires),
                vendor.bind(),
                "vendor",
                workers);
        LOG.info(() -> "vendor listener on " + vendorAddress() + " (mTLS, HTTP/1.1 and HTTP/2); transport "
                + transport.description() + "; TLS " + tlsProvider.description());
        if (config.admin().isPresent()) {
            Listeners.AdminListener admin = config.admin().get();
            AdminService service = new AdminService(
                    state,
                    killSwitch,
                    reloader,
                    store,
                    blocking,
                    VersionInfo.version(),
                    startedAt,
                    transport.description(),
                    tlsProvider.description(),
                    clock,
                    tripwires);
            adminListener = listen(
                    new AdminChannelInitializer(tls("admin", admin.tls(), false), state, service),
                    admin.bind(),
                    "admin",
                    adminLoop);
            recordServerCertificate("admin", admin.tls());
            LOG.info(() -> "admin listener on " + adminAddress() + " (mTLS, operators only)");
        }
        if (config.metrics().isPresent()) {
            metricsListener = listen(
                    HealthChannelInitializer.create(
                            readiness,
                            registry,
                            () -> state.snapshot().tokens().map(t -> t.keys().jwksJson())),
                    config.metrics().get().bind(),
                    "metrics",
                    workers);
            LOG.info(() -> "metrics listener on " + metricsAddress() + " (plain HTTP: /metrics, /healthz, /readyz, "
                    + "/.well-known/jwks.json)");
        }
        Policy policy = state.snapshot().access().policy();
        LOG.info(() -> "policy " + policy.source() + ": " + policy.vendors().size() + " vendors, "
                + policy.routes().size() + " routes, " + policy.upstreams().size() + " upstreams; control state "
                + store.describe() + "; audit trail " + state.audit().dir());
        readiness.listenersBound();
        readiness.start(maintenance);
        maintenance.scheduleWithFixedDelay(
                () -> SnapshotBuilder.refreshAddresses(state.snapshot()), 30, 30, TimeUnit.SECONDS);
        // a few file stats: often enough that an emergency rotation (keys rotate --now --retire-old) bites in seconds
        maintenance.scheduleWithFixedDelay(
                () -> state.snapshot().tokens().ifPresent(t -> t.maintain(clock.instant())), 2, 2, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(
                () -> state.snapshot().tokens().ifPresent(t -> t.refreshTrusted()), 5, 5, TimeUnit.MINUTES);
        maintenance.scheduleWithFixedDelay(this::persistUsage, 5, 5, TimeUnit.SECONDS);
        policy.audit()
                .maxAge()
                .ifPresent(maxAge ->
                        maintenance.scheduleWithFixedDelay(() -> state.audit().prune(maxAge), 1, 60, TimeUnit.MINUTES));
        SuspensionExpiry expiry = new SuspensionExpiry(state);
        maintenance.scheduleWithFixedDelay(expiry::check, 1, 1, TimeUnit.SECONDS);
        long crlCheck = options.periods().crlCheck().toMillis();
        maintenance.scheduleWithFixedDelay(
                () -> crlWatcher.check(this::cutRevoked), crlCheck, crlCheck, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(
                () -> state.memoryPressure(MemoryPressure.high()), 250, 250, TimeUnit.MILLISECONDS);
        if (options.watchPolicy() && Files.exists(policy.source())) {
            try {
                reloader.startWatching();
            } catch (IOException e) {
                LOG.warning(() -> "cannot watch " + policy.source() + " for changes: " + e.getMessage());
            }
        }
    }

    private ListenerTls tls(String name, dev.vendorgate.policy.ServerTls config, boolean http2)
            throws GatewayConfigException {
        try {
            ListenerTls tls = ServerTlsContexts.build(name, config, tlsProvider, http2);
            crlWatcher.watch(name, config.crl(), tls);
            return tls;
        } catch (TlsFiles.TlsMaterialException e) {
            throw new GatewayConfigException("listeners." + name + ".tls: " + e.getMessage());
        }
    }

    private void recordServerCertificate(String listener, dev.vendorgate.policy.ServerTls config)
            throws GatewayConfigException {
        try {
            state.certificates()
                    .serverCertificate(
                            listener,
                            TlsFiles.certificates(config.cert())
                                    .get(0)
                                    .getNotAfter()
                                    .toInstant());
        } catch (TlsFiles.TlsMaterialException e) {
            throw new GatewayConfigException("listeners." + listener + ".tls: " + e.getMessage());
        }
    }

    private Channel listen(ChannelHandler initializer, Endpoint endpoint, String name, EventLoopGroup children)
            throws GatewayConfigException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, children)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) {
            throw new GatewayConfigException(
                    "listeners." + name + ".bind: cannot resolve host '" + endpoint.host() + "'");
        }
        // not syncUninterruptibly(): it rethrows the native transport's checked exception, past any catch here
        io.netty.channel.ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable e = bound.cause();
            throw new GatewayConfigException("listeners." + name + ".bind: cannot listen on " + endpoint + ": "
                    + (e == null || e.getMessage() == null ? "bind failed" : e.getMessage()));
        }
        Channel channel = bound.channel();
        listeners.add(channel);
        return channel;
    }

    /** A CRL changed: open vendor connections whose certificate it now revokes are cut at once. */
    private void cutRevoked(String listener, ClientCertificateTrust trust) {
        if (!listener.equals("vendor")) {
            return; // admin connections are short-lived calls
        }
        for (Channel connection : state.connections().all()) {
            connection.eventLoop().execute(() -> {
                VendorConnection vc = VendorConnection.on(connection);
                if (vc != null && trust.revoked(vc.certificate())) {
                    LOG.warning(() -> "closing the connection of revoked certificate '"
                            + vc.peer().clientId() + "' from " + connection.remoteAddress());
                    ConnectionCutter.cut(java.util.List.of(connection), SuspendMode.SEVER);
                }
            });
        }
    }

    /** Persists byte quota usage that changed, so that a restart does not hand out a fresh quota. */
    private void persistUsage() {
        for (var usage : state.limiters().usageToPersist()) {
            store.persist(usage).thenRun(() -> state.applyControl(usage));
        }
    }

    /** The bound address of the vendor listener (useful when the policy asked for port 0). */
    public InetSocketAddress vendorAddress() {
        return (InetSocketAddress) vendorListener.localAddress();
    }

    /** The event loops of vendor traffic (and of the metrics listener); for tests. */
    EventLoopGroup vendorLoops() {
        return workers;
    }

    /** The bound admin address, or null without an admin listener. */
    public InetSocketAddress adminAddress() {
        return adminListener == null ? null : (InetSocketAddress) adminListener.localAddress();
    }

    /** The bound metrics address, or null without a metrics listener. */
    public InetSocketAddress metricsAddress() {
        return metricsListener == null ? null : (InetSocketAddress) metricsListener.localAddress();
    }

    /** Where the gateway's metrics are registered. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public GatewayState state() {
        return state;
    }

    /** The tripwires the vendor listener's requests report to. */
    public TripwireWatch tripwires() {
        return tripwires;
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    public PolicyReloader reloader() {
        return reloader;
    }

    public Transport transport() {
        return transport;
    }

    public TlsProvider tlsProvider() {
        return tlsProvider;
    }

    /** Graceful shutdown: stop accepting, finish requests in flight within the grace period, close. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        reloader.close();
        state.startDraining();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        // idle connections close now; busy ones close as their last request ends (see VendorRequestHandler)
        for (Channel connection : state.connections().all()) {
            connection.eventLoop().execute(() -> {
                VendorConnection vc = VendorConnection.on(connection);
                if (vc == null || !vc.busy()) {
                    connection.close();
                }
            });
        }
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        while (state.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int abandoned = state.inFlight();
        if (abandoned > 0) {
            LOG.warning(() -> abandoned + " requests still in flight after the grace period; closing them");
        }
        // through each pipeline, and waited for (a second at most): what was written but not yet flushed (an HTTP/2
        // connection's writes are flushed once per event-loop turn) goes out before the loops stop, which closes
        // what is left without flushing it
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        state.connections().all().forEach(connection -> closing.add(connection.close()));
        long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (io.netty.channel.ChannelFuture close : closing) {
            long left = closeDeadline - System.nanoTime();
            if (left <= 0 || !close.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        state.closeUpstreamPools();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.netty.util.concurrent.Future<?> admin = adminLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        admin.syncUninterruptibly();
        maintenance.shutdownNow();
        blocking.shutdownNow();
        persistUsage();
        tripwires.close();
        if (state.audit() != null) {
            state.audit().close();
        }
        store.close();
        LOG.info("gateway stopped");
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "localhost";
            }
        }
        return name;
    }
}
