package dev.vendorgate.gateway.frontend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of an HTTP/2 connection: closes it (with GOAWAY) when it has had no open
 * stream for the idle timeout, and after a connection error the codec has already answered (a
 * flood, a protocol violation), logging the reason once rather than as an unhandled exception.
 * Only streams count as activity: PING or SETTINGS frames alone do not keep a connection (and
 * a slot of the listener's connection cap) open.
 */
final class Http2IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(Http2IdleCloser.class.getName());

    private final Http2FrameCodec codec;
    private final long idleNanos;
    private long lastStreamNanos = System.nanoTime();
    private java.util.concurrent.ScheduledFuture<?> check;

    Http2IdleCloser(Http2FrameCodec codec, java.time.Duration idle) {
        this.codec = codec;
        this.idleNanos = idle.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        codec.connection().addListener(new io.netty.handler.codec.http2.Http2ConnectionAdapter() {
            @Override
            public void onStreamAdded(io.netty.handler.codec.http2.Http2Stream stream) {
                lastStreamNanos = System.nanoTime();
            }

            @Override
            public void onStreamClosed(io.netty.handler.codec.http2.Http2Stream stream) {
                lastStreamNanos = System.nanoTime();
            }
        });
        long period = Math.max(50, Math.min(1000, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4));
        check = ctx.executor()
                .scheduleAtFixedRate(
                        () -> {
                            if (codec.connection().numActiveStreams() > 0) {
                                lastStreamNanos = System.nanoTime();
                            } else if (System.nanoTime() - lastStreamNanos >= idleNanos) {
                                check.cancel(false);
                                ctx.close();
                            }
                        },
                        period,
                        period,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> check.cancel(false));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
                Level.FINE,
                () -> "HTTP/2 connection from " + ctx.channel().remoteAddress() + " ended: " + cause.getMessage());
        if (!(cause instanceof Http2Exception)) {
            ctx.close(); // an Http2Exception is the codec's: it sends GOAWAY with the error code, then closes
        }
    }
}
