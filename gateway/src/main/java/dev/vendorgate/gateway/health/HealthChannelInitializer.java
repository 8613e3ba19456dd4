package dev.vendorgate.gateway.health;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.Map;
import java.util.function.Function;

/** The metrics listener's pipeline: plain HTTP/1.1, tiny bodies, short timeouts. */
public final class HealthChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final Readiness readiness;
    private final Map<String, Function<FullHttpRequest, HealthHandler.Answer>> extra;

    public HealthChannelInitializer(Readiness readiness) {
        this(readiness, Map.of());
    }

    HealthChannelInitializer(Readiness readiness, Map<String, Function<FullHttpRequest, HealthHandler.Answer>> extra) {
        this.readiness = readiness;
        this.extra = extra;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("http-codec", new HttpServerCodec(4096, 8192, 8192))
                .addLast("read-timeout", new ReadTimeoutHandler(30))
                .addLast("aggregate", new HttpObjectAggregator(4096))
                .addLast("health", new HealthHandler(readiness, extra));
    }
}
