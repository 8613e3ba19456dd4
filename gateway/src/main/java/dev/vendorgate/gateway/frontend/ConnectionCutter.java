package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.runtime.ConnectionCut;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a vendor connection on its own event loop. {@link SuspendMode#SEVER} is a hard cut: the
 * socket is closed with a reset (SO_LINGER 0), so bytes already queued in the kernel are
 * dropped rather than delivered, and TLS close_notify is not waited for. {@link SuspendMode#DRAIN}
 * lets the requests in flight finish, then closes (new ones on the connection are refused meanwhile).
 */
public final class ConnectionCutter {

    private ConnectionCutter() {}

    /**
     * Cuts or drains {@code channel}. For a sever the future completes once the socket is
     * closed; for a drain, once the connection is told to close after its current requests.
     */
    public static CompletableFuture<ConnectionCut> cut(Channel channel, SuspendMode mode) {
        CompletableFuture<ConnectionCut> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                done.complete(ConnectionCut.NONE);
                return;
            }
            Http2FrameCodec h2 = channel.pipeline().get(Http2FrameCodec.class);
            VendorConnection connection = VendorConnection.on(channel);
            int streams = h2 != null ? h2.connection().numActiveStreams()
                    : connection != null && connection.busy() ? 1 : 0;
            ConnectionCut cut = new ConnectionCut(1, streams);
            if (mode == SuspendMode.SEVER) {
                if (connection != null) {
                    connection.markCut();
                }
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                ChannelHandlerContext tls = channel.pipeline().context(SslHandler.class);
                // closing from the TLS handler's context goes straight to the socket: no close_notify wait
                (tls != null ? tls.close() : channel.close()).addListener(f -> done.complete(cut));
            } else if (connection != null && connection.busy()) {
                // closes as its last request in flight ends (new requests are refused meanwhile)
                connection.closeWhenIdle();
                done.complete(cut);
            } else {
                channel.close().addListener(f -> done.complete(cut));
            }
        });
        return done;
    }
}
