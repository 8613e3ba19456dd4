package dev.vendorgate.gateway.proxy;

import dev.vendorgate.gateway.transport.IdleWatch;
import dev.vendorgate.gateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Keep-alive connections to upstreams, owned by one event loop: the exchanges of that loop's
 * vendor connections borrow them, so a request and its upstream connection never change thread
 * and nothing here needs a lock.
 */
public final class UpstreamPool {

    static final String TLS = "tls";
    static final String HTTP_CODEC = "http-codec";
    static final String IDLE = "idle";
    static final String UPSTREAM = "upstream";
    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final Transport transport;
    private final Map<UpstreamTarget, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    /** One queue of response deadlines per request timeout seen (a policy reload adds one only for a new value). */
    private final List<ResponseDeadlines> deadlines = new ArrayList<>(2);

    public UpstreamPool(EventLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /** Hands {@code exchange} a connection: a pooled one if alive, else a new one. */
    void acquire(UpstreamTarget target, ProxyExchange exchange) {
        assert loop.inEventLoop();
        ArrayDeque<UpstreamConnection> connections = idle.get(target);
        while (connections != null && !connections.isEmpty()) {
            UpstreamConnection connection = connections.pollLast();
            if (connection.channel().isActive()) {
                exchange.onUpstreamConnected(connection);
                return;
            }
        }
        connect(target, exchange);
    }

    private void connect(UpstreamTarget target, ProxyExchange exchange) {
        UpstreamConnection connection = new UpstreamConnection(this, target);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(
                        Integer.MAX_VALUE,
                        target.upstream().timeouts().connect().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (target.tls() != null) {
                            p.addLast(TLS, sslHandler(ch, target));
                        }
                        p.addLast(HTTP_CODEC, new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK));
                        p.addLast(
                                IDLE, new IdleWatch(target.upstream().timeouts().idle()));
                        p.addLast(UPSTREAM, connection);
                    }
                });
        ChannelFuture connect = bootstrap.connect(target.address());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                exchange.onUpstreamConnectFailed(f.cause());
                return;
            }
            if (target.tls() == null) {
                exchange.onUpstreamConnected(connection);
                return;
            }
            connect.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    exchange.onUpstreamConnected(connection);
                } else {
                    connect.channel().close();
                    exchange.onUpstreamConnectFailed(h.cause());
                }
            });
        });
    }

    private static SslHandler sslHandler(Channel ch, UpstreamTarget target) {
        String serverName = target.upstream()
                .tls()
                .flatMap(t -> t.serverName())
                .orElse(target.upstream().host());
        SslHandler handler = target.tls()
                .newHandler(ch.alloc(), serverName, target.upstream().port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(target.upstream().timeouts().connect().toMillis());
        return handler;
    }

    /** The response deadlines of this loop's exchanges that wait on {@code target}. */
    ResponseDeadlines deadlines(UpstreamTarget target) {
        long timeout = target.upstream().timeouts().request().toNanos();
        for (ResponseDeadlines queue : deadlines) {
            if (queue.timeoutNanos() == timeout) {
                return queue;
            }
        }
        ResponseDeadlines queue = new ResponseDeadlines(loop, timeout);
        deadlines.add(queue);
        return queue;
    }

    /** Returns a connection whose exchange completed cleanly; it is kept if there is room. */
    void release(UpstreamConnection connection) {
        assert loop.inEventLoop();
        connection.unlease();
        Channel channel = connection.channel();
        int max = connection.target().upstream().maxIdleConnections();
        ArrayDeque<UpstreamConnection> connections = idle.computeIfAbsent(connection.target(), t -> new ArrayDeque<>());
        if (!channel.isActive() || connections.size() >= max) {
            channel.close();
            return;
        }
        connections.addLast(connection);
        channel.read(); // notice promptly if the upstream closes the idle connection
    }

    /** Drops a connection that closed, pooled or not. */
    void forget(UpstreamConnection connection) {
        ArrayDeque<UpstreamConnection> connections = idle.get(connection.target());
        if (connections != null) {
            connections.remove(connection);
            if (connections.isEmpty()) {
                idle.remove(connection.target());
            }
        }
    }

    /** Closes every idle connection (shutdown). */
    public void closeIdle() {
        List<UpstreamConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(c -> c.channel().close());
    }
}
