package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tls.ListenerTls;
import dev.vendorgate.policy.HttpSettings;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * Builds the pipeline of a new vendor connection, in the order bytes meet it. HTTP handlers are
 * added later by {@link ProtocolSelector}, once ALPN has said which protocol was chosen.
 */
public final class VendorChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String CONNECTION_LIMIT = "connection-limit";
    static final String TLS = "tls";
    static final String IDENTIFY = "identify";
    static final String PROTOCOL = "protocol";

    private final GatewayState state;
    private final ListenerTls tls;
    private final Duration handshakeTimeout;
    private final HttpSettings http;
    private final ConnectionLimit connectionLimit;
    private final Admission admission;

    public VendorChannelInitializer(
            GatewayState state,
            ListenerTls tls,
            Duration handshakeTimeout,
            HttpSettings http,
            dev.vendorgate.gateway.tripwire.TripwireWatch tripwires) {
        this.state = state;
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.http = http;
        this.connectionLimit = new ConnectionLimit(http.maxConnections(), http.maxConnectionsPerAddress());
        this.admission = new Admission(state, http, tripwires);
    }

    public ConnectionLimit connectionLimit() {
        return connectionLimit;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // the current context: a CRL reload may have replaced it to end saved sessions
        SslHandler ssl = tls.context().newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        ChannelPipeline p = ch.pipeline();
        // the cap comes first: refuse before any TLS work is spent
        p.addLast(CONNECTION_LIMIT, connectionLimit);
        p.addLast(TLS, ssl);
        // identify must see the handshake-complete event before the protocol selector acts on it
        p.addLast(IDENTIFY, new IdentifyHandler(state, tls.trust()));
        p.addLast(PROTOCOL, new ProtocolSelector(state, http, admission));
    }
}
