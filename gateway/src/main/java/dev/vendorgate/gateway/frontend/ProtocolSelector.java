package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.http.StrictHttpServerCodec;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.transport.IdleWatch;
import dev.vendorgate.policy.HttpSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * Completes the pipeline once ALPN has chosen: HTTP/2 (one child channel per stream, each with
 * the same request handler as HTTP/1.1) or HTTP/1.1. Either way the request handler sees
 * {@code HttpRequest}/{@code HttpContent} and reads one message at a time.
 */
final class ProtocolSelector extends ApplicationProtocolNegotiationHandler {

    static final String HTTP_CODEC = "http-codec";
    static final String IDLE = "idle";
    static final String H2_STREAM_ORDER = "h2-stream-order";
    static final String H2_FLUSH = "h2-flush";
    static final String FLOW_CONTROL = "flow-control";
    static final String REQUEST = "request";
    static final String H2_CODEC = "h2-codec";
    static final String H2_MULTIPLEX = "h2-multiplex";
    static final String H2_TO_HTTP = "h2-to-http";
    private static final int MAX_CHUNK = 64 * 1024;
    /** Netty's conversion keeps no state of its own (it is {@code @Sharable}): one for every stream. */
    private static final Http2StreamFrameToHttpObjectCodec STREAM_CODEC =
            new Http2StreamFrameToHttpObjectCodec(true, false);
    /** Per-stream flow-control window: what one stream may send before the gateway reads it. */
    private static final int H2_STREAM_WINDOW = 64 * 1024;

    private static final int H2_MAX_FRAME = 16 * 1024;
    private static final int H2_MAX_RESETS = 200;
    private static final int H2_RESET_WINDOW_SECONDS = 30;
    private static final int H2_MAX_SMALL_CONTINUATIONS = 16;
    private static final int H2_MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private final GatewayState state;
    private final HttpSettings http;
    private final Admission admission;

    ProtocolSelector(GatewayState state, HttpSettings http, Admission admission) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.state = state;
        this.http = http;
        this.admission = admission;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        ChannelPipeline p = ctx.pipeline();
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2FrameCodec codec = http2Codec(http);
            VendorConnection connection = VendorConnection.on(ctx.channel());
            if (connection != null) {
                connection.http2(codec);
            }
            // a stream's response is written when its upstream's answer is read, not in this connection's read, so
            // each would be flushed alone (a TLS record and a send each); the flushes of one event-loop turn become
            // one, after the turn's other work (HTTP/2, 16 streams a connection: one send per response before)
            p.addLast(
                    H2_FLUSH,
                    new FlushConsolidationHandler(
                            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            // before the codec: sees the raw frames, and hands a stream-order violation to the codec as a connection
            // error
            p.addLast(H2_STREAM_ORDER, new Http2StreamOrder(codec.connection()));
            p.addLast(H2_CODEC, codec);
            p.addLast(H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setAutoRead(false);
                    stream.pipeline()
                            .addLast(H2_TO_HTTP, streamCodec())
                            .addLast(FLOW_CONTROL, new FlowControlHandler())
                            .addLast(REQUEST, new VendorRequestHandler(state, admission, true));
                }
            }));
            // connection-level idle: no open stream for the idle timeout (PINGs do not count)
            p.addLast(IDLE, new Http2IdleCloser(codec, http.idleTimeout()));
        } else {
            Channel channel = ctx.channel();
            channel.config().setAutoRead(false);
            p.addLast(
                    HTTP_CODEC,
                    new StrictHttpServerCodec(
                            http.maxRequestLineBytes(),
                            http.maxHeaderBytes(),
                            MAX_CHUNK,
                            http.headerTimeout().toMillis()));
            p.addLast(IDLE, new IdleWatch(http.idleTimeout()));
            // one message per read(): the request handler pauses between requests and while connecting upstream
            p.addLast(FLOW_CONTROL, new FlowControlHandler());
            p.addLast(REQUEST, new VendorRequestHandler(state, admission, false));
        }
    }

    /**
     * A failed handshake was logged once, without a stack, and counted by {@link IdentifyHandler}; Netty's
     * default would log it again as a warning with a stack trace. Only close.
     */
    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * A stream's frames as {@code HttpRequest}/{@code HttpContent} and back. It does not check the
     * header names and values again: the codec's HPACK decoder checked each as it was read
     * ({@link #http2Codec validateHeaders}), and what is forwarded is checked once more as it is
     * copied to the upstream's request or the vendor's response ({@code HeaderHygiene}); a third
     * check on the conversion between them was about 1% of an HTTP/2 request.
     */
    static Http2StreamFrameToHttpObjectCodec streamCodec() {
        return STREAM_CODEC;
    }

    /**
     * The HTTP/2 server codec: every limit is set here rather than left to Netty's defaults, so
     * that none loosens unnoticed. Response bytes are shared between a connection's streams evenly
     * ({@link UniformStreamByteDistributor}): RFC 9113 deprecates the priority tree, and Netty's
     * default weighted-fair distributor kept one for every stream, about 2% of an HTTP/2 request.
     */
    static Http2FrameCodec http2Codec(HttpSettings http) {
        DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
        connection
                .remote()
                .flowController(
                        new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return new ServerCodecBuilder(connection)
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(http.maxConcurrentStreams())
                        .maxHeaderListSize(http.maxHeaderBytes())
                        .initialWindowSize(H2_STREAM_WINDOW)
                        .maxFrameSize(H2_MAX_FRAME))
                .validateHeaders(true)
                .validateRequiredPseudoHeaders(true)
                // rapid reset (CVE-2023-44487): more resets than this in the window end the connection
                .decoderEnforceMaxRstFramesPerWindow(H2_MAX_RESETS, H2_RESET_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(H2_MAX_RESETS, H2_RESET_WINDOW_SECONDS)
                // empty DATA and tiny CONTINUATION floods (CVE-2019-9518, CVE-2024-27316 class)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(2)
                .decoderEnforceMaxSmallContinuationFrames(H2_MAX_SMALL_CONTINUATIONS)
                // control frames the peer does not read (ping and settings floods, CVE-2019-9512/9515)
                .encoderEnforceMaxQueuedControlFrames(H2_MAX_QUEUED_CONTROL_FRAMES)
                .build();
    }

    /** Netty's builder, for a connection made here (its flow controller chosen): that setter is protected. */
    private static final class ServerCodecBuilder extends Http2FrameCodecBuilder {
        ServerCodecBuilder(Http2Connection connection) {
            connection(connection);
        }
    }
}
