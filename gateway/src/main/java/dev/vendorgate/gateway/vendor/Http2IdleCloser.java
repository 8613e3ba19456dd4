package dev.vendorgate.gateway.vendor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/** Closes an idle HTTP/2 connection (with GOAWAY) when it has no open stream. */
final class Http2IdleCloser extends ChannelInboundHandlerAdapter {

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
}
