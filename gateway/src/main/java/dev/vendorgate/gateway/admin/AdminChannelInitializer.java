package dev.vendorgate.gateway.admin;

import dev.vendorgate.gateway.http.ProblemResponse;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.http.StrictHttpServerCodec;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tls.CertificateRecheck;
import dev.vendorgate.gateway.tls.ListenerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener's pipeline: mutual TLS against the operators' CA, HTTP/1.1 with bounded
 * bodies, browser protections on every response, the ops console's files, then the admin handler. Never shares a port with vendors.
 */
public final class AdminChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** A request head must arrive within this from its first byte (slowloris). */
    private static final long HEAD_TIMEOUT_MILLIS = 10_000;

    static final int MAX_BODY = 64 * 1024;
    private static final long IDLE_SECONDS = 120;

    private final ListenerTls tls;
    private final GatewayState state;
    private final AdminApi api;
    private final ConsoleFiles console;

    public AdminChannelInitializer(ListenerTls tls, GatewayState state, AdminService service) {
        this.tls = tls;
        this.state = state;
        this.api = service.api();
        this.console = service.console();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // the current context: a CRL reload may have replaced it to end saved sessions
        SslHandler ssl = tls.context().newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(10_000);
        ch.pipeline()
                .addLast("tls", ssl)
                // a resumed session skipped the handshake's certificate check: it runs again here
                .addLast("recheck-certificate", new CertificateRecheck("admin", tls.trust()))
                .addLast("http-codec", new StrictHttpServerCodec(4096, 16 * 1024, 16 * 1024, HEAD_TIMEOUT_MILLIS))
                // outbound: on every response written after the codec, the aggregator's 413 included
                .addLast("security-headers", SecurityHeaders.INSTANCE)
                .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast("idle-close", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof IdleStateEvent) {
                            ctx.close();
                        } else {
                            ctx.fireUserEventTriggered(evt);
                        }
                    }
                })
                .addLast("aggregate", new HttpObjectAggregator(MAX_BODY) {
                    @Override
                    protected void handleOversizedMessage(
                            ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
                        FullHttpResponse response = ProblemResponse.build(
                                ctx.alloc(),
                                ProblemType.PAYLOAD_TOO_LARGE,
                                "Admin request bodies are limited to " + MAX_BODY + " bytes.",
                                dev.vendorgate.gateway.http.RequestIds.next(state.clock()),
                                Set.of());
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        // the rest of the body is dropped; close a moment later so the client reads the answer
                        ctx.writeAndFlush(response)
                                .addListener(f -> ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS));
                    }
                })
                .addLast("console", new ConsoleHandler(console, state.clock()))
                .addLast("admin", new AdminHandler(state, api));
    }
}
