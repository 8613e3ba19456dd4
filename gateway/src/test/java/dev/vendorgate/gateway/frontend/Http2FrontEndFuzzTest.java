package dev.vendorgate.gateway.frontend;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vendorgate.policy.HttpSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/2 front end (the gateway's codec settings, multiplexing, conversion to HTTP/1
 * objects) on arbitrary frames after a valid preface: protocol errors end streams or the
 * connection, and nothing throws past the pipeline. Seeds replay in every test run.
 */
class Http2FrontEndFuzzTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    @FuzzTest(maxDuration = "30s")
    void protocolErrorsAreContained(byte[] frames) {
        Http2FrameCodec codec = ProtocolSelector.http2Codec(HttpSettings.DEFAULTS);
        EmbeddedChannel channel = new EmbeddedChannel(
                codec,
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(ProtocolSelector.streamCodec(), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // as the request handler does: the stream ends
                            }
                        });
                    }
                }),
                new Http2IdleCloser(codec, java.time.Duration.ofMinutes(1)));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(PREFACE, EMPTY_SETTINGS, frames));
            channel.runPendingTasks();
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
