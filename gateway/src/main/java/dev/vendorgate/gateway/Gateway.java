package dev.vendorgate.gateway;

import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.SnapshotBuilder;
import dev.vendorgate.gateway.runtime.Transport;
import dev.vendorgate.gateway.tls.ServerTlsContexts;
import dev.vendorgate.gateway.tls.TlsFiles;
import dev.vendorgate.gateway.tls.TlsProvider;
import dev.vendorgate.gateway.vendor.VendorChannelInitializer;
import dev.vendorgate.gateway.vendor.VendorConnection;
import dev.vendorgate.policy.Endpoint;
import dev.vendorgate.policy.Listeners;
import dev.vendorgate.policy.Policy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running gateway: its listeners, event loops and shared state. {@link #start} returns once
 * every listener is bound; {@link #close} stops accepting, lets requests in flight finish (up
 * to the grace period), then closes everything.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    private final GatewayOptions options;
    private final GatewayState state;
    private final Transport transport;
    private final TlsProvider tlsProvider;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel vendorListener;
    private boolean closed;

    private Gateway(GatewayOptions options, GatewaySnapshot snapshot) {
        this.options = options;
        this.transport = Transport.detect(options.preferNio());
        this.tlsProvider = TlsProvider.detect(options.preferJdkTls());
        this.state = new GatewayState(snapshot, dev.vendorgate.gateway.control.ControlState.EMPTY, transport);
        this.boss = transport.newGroup(1, "vendorgate-accept");
        int threads = options.workerThreads() > 0 ? options.workerThreads() : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(threads, "vendorgate-io");
    }

    /**
     * Builds the runtime state from {@code policy} and binds every listener.
     *
     * @throws GatewayConfigException when a file cannot be used, a host cannot be resolved or a port is taken
     */
    public static Gateway start(Policy policy, GatewayOptions options) throws GatewayConfigException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(options, "options");
        GatewaySnapshot snapshot = SnapshotBuilder.build(policy);
        Gateway gateway = new Gateway(options, snapshot);
        try {
            gateway.bind(policy.listeners());
        } catch (GatewayConfigException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void bind(Listeners listeners) throws GatewayConfigException {
        Listeners.VendorListener vendor = listeners.vendor();
        SslContext tls;
        try {
            tls = ServerTlsContexts.build(vendor.tls(), tlsProvider, true);
        } catch (TlsFiles.TlsMaterialException e) {
            throw new GatewayConfigException("listeners.vendor.tls: " + e.getMessage());
        }
        VendorChannelInitializer initializer =
                new VendorChannelInitializer(state, tls, vendor.tls().handshakeTimeout(), vendor.http());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        vendorListener = bindOrExplain(bootstrap, vendor.bind(), "vendor");
        LOG.info(() -> "vendor listener on " + vendorAddress() + " (mTLS, HTTP/1.1 and HTTP/2); transport "
                + transport.description() + "; TLS " + tlsProvider.description());
    }

    private static Channel bindOrExplain(ServerBootstrap bootstrap, Endpoint endpoint, String name)
            throws GatewayConfigException {
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) {
            throw new GatewayConfigException("listeners." + name + ".bind: cannot resolve host '" + endpoint.host() + "'");
        }
        try {
            return bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new GatewayConfigException("listeners." + name + ".bind: cannot listen on " + endpoint + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The bound address of the vendor listener (useful when the policy asked for port 0). */
    public InetSocketAddress vendorAddress() {
        return (InetSocketAddress) vendorListener.localAddress();
    }

    public GatewayState state() {
        return state;
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
        state.startDraining();
        if (vendorListener != null) {
            vendorListener.close().syncUninterruptibly();
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
        state.connections().all().forEach(Channel::close);
        state.closeUpstreamPools();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("gateway stopped");
    }
}
