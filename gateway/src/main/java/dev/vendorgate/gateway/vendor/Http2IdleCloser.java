package dev.vendorgate.gateway.vendor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last handler of an HTTP/2 connection: closes it (with GOAWAY) when idle with no open stream,
 * and after a connection error the codec has already answered (a flood, a protocol violation),
 * logging the reason once rather than as an unhandled exception.
 */
final class Http2IdleCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(Http2IdleCloser.class.getName());

    private final Http2FrameCodec codec;

    Http2IdleCloser(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, () -> "HTTP/2 connection from " + ctx.channel().remoteAddress() + " ended: "
                + cause.getMessage());
        if (!(cause instanceof Http2Exception)) {
            ctx.close(); // an Http2Exception is the codec's: it sends GOAWAY with the error code, then closes
        }
    }
}
