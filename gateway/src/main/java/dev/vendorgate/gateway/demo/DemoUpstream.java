package dev.vendorgate.gateway.demo;

import dev.vendorgate.gateway.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a lab data service, for the demo: datasets to download under
 * {@code /datasets/...} (including generated blobs of any size, to try large transfers) and
 * annotation uploads under {@code /annotations/...} (counted and hashed, then acknowledged).
 * Plain HTTP on loopback, as an internal service behind the gateway would be.
 */
public final class DemoUpstream implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private DemoUpstream(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Starts on {@code host:port} (port 0 picks a free port). */
    public static DemoUpstream start(String host, int port) {
        Transport transport = Transport.detect(false);
        EventLoopGroup group = transport.newGroup(1, "demo-upstream");
        try {
            io.netty.channel.ChannelFuture bound = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            new HttpServerKeepAliveHandler(),
                                            new ChunkedWriteHandler(),
                                            new DemoDataHandler());
                        }
                    })
                    .bind(new InetSocketAddress(host, port))
                    .awaitUninterruptibly();
            if (!bound.isSuccess()) {
                // awaited rather than synced: sync rethrows the native transport's checked exception past callers
                throw new IllegalStateException(
                        bound.cause() == null || bound.cause().getMessage() == null
                                ? "bind failed"
                                : bound.cause().getMessage(),
                        bound.cause());
            }
            return new DemoUpstream(group, bound.channel());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
