package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.runtime.ConnectionCut;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Ends a vendor connection on its own event loop. {@link SuspendMode#SEVER} is a hard cut: the
 * socket is closed with a reset (SO_LINGER 0), so bytes already queued in the kernel are
 * dropped rather than delivered, and TLS close_notify is not waited for. {@link SuspendMode#DRAIN}
 * lets the requests in flight finish, then closes (new ones on the connection are refused meanwhile).
 */
public final class ConnectionCutter {

    private ConnectionCutter() {}

    /**
     * Cuts or drains {@code channels} (of one event loop), in one task on that loop. For a sever
     * the future completes once every socket is closed; for a drain, once each connection is told
     * to close after its current requests.
     */
    public static CompletableFuture<ConnectionCut> cut(List<Channel> all, SuspendMode mode) {
        CompletableFuture<ConnectionCut> done = new CompletableFuture<>();
        // a sever's second sweep (after the change is durable) looks only for connections opened meanwhile: the
        // ones the first cut marked are closed or closing in its task, and a task behind their close events on
        // the loop would only make the call wait
        List<Channel> channels = new ArrayList<>(all.size());
        for (Channel channel : all) {
            VendorConnection connection = VendorConnection.on(channel);
            if (connection == null || !connection.cut()) {
                channels.add(channel);
            }
        }
        if (channels.isEmpty()) {
            done.complete(ConnectionCut.NONE);
            return done;
        }
        channels.get(0).eventLoop().execute(() -> {
            int[] pending = {channels.size()};
            ConnectionCut[] total = {ConnectionCut.NONE};
            for (Channel channel : channels) {
                cutOne(channel, mode, cut -> {
                    total[0] = total[0].plus(cut);
                    if (--pending[0] == 0) {
                        done.complete(total[0]);
                    }
                });
            }
        });
        return done;
    }

    /** Cuts one connection, on its event loop; {@code done} is called there, once. */
    private static void cutOne(Channel channel, SuspendMode mode, Consumer<ConnectionCut> done) {
        if (!channel.isActive()) {
            done.accept(ConnectionCut.NONE);
            return;
        }
        VendorConnection connection = VendorConnection.on(channel);
        // a connection keeps its codec and TLS context: a cut of a thousand does not search a thousand pipelines
        Http2FrameCodec h2 =
                connection != null ? connection.http2() : channel.pipeline().get(Http2FrameCodec.class);
        int streams = h2 != null ? h2.connection().numActiveStreams() : connection != null && connection.busy() ? 1 : 0;
        ConnectionCut cut = new ConnectionCut(1, streams);
        if (mode == SuspendMode.SEVER) {
            if (connection != null) {
                connection.markCut();
            }
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            ChannelHandlerContext tls = connection != null && connection.tls() != null
                    ? connection.tls()
                    : channel.pipeline().context(SslHandler.class);
            // closing from the TLS handler's context goes straight to the socket: no close_notify wait
            (tls != null ? tls.close() : channel.close()).addListener(f -> done.accept(cut));
        } else if (connection != null && connection.busy()) {
            // closes as its last request in flight ends (new requests are refused meanwhile)
            connection.closeWhenIdle();
            done.accept(cut);
        } else {
            channel.close().addListener(f -> done.accept(cut));
        }
    }
}
