package dev.vendorgate.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Drives load over real mTLS connections. Closed loop: each connection (or HTTP/2 stream slot)
 * sends its next request when the last one is answered. Open loop: requests are due at a fixed
 * rate whether or not the server keeps up, and latency is measured from when a request was due,
 * not when it could be sent (corrected for coordinated omission).
 */
final class Generator {

    /** What to send and how. */
    record Plan(
            String host,
            int port,
            String path,
            String authorization,
            int connections,
            int streams,
            boolean h2,
            boolean newConnectionPerRequest,
            double rate,
            String form) {

        /** The same plan sending {@code GET path} (no form). */
        Plan(
                String host,
                int port,
                String path,
                String authorization,
                int connections,
                int streams,
                boolean h2,
                boolean newConnectionPerRequest,
                double rate) {
            this(host, port, path, authorization, connections, streams, h2, newConnectionPerRequest, rate, null);
        }
    }

    private final Plan plan;
    private final SslContext tls;
    private final EventLoopGroup group;
    private final Results results;
    private final Bootstrap bootstrap;
    private volatile boolean running = true;

    Generator(Plan plan, SslContext tls, EventLoopGroup group, Class<? extends Channel> channelType, Results results) {
        this.plan = plan;
        this.tls = tls;
        this.group = group;
        this.results = results;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    void start() {
        for (int i = 0; i < plan.connections(); i++) {
            connect();
        }
    }

    void stop() {
        running = false;
    }

    private FullHttpRequest request() {
        FullHttpRequest request;
        if (plan.form() == null) {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, plan.path());
        } else {
            request = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1,
                    HttpMethod.POST,
                    plan.path(),
                    Unpooled.copiedBuffer(plan.form(), StandardCharsets.US_ASCII));
            request.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        }
        request.headers().set(HttpHeaderNames.HOST, plan.host() + ":" + plan.port());
        if (plan.authorization() != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, plan.authorization());
        }
        return request;
    }

    private void connect() {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        bootstrap
                .clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), plan.host(), plan.port());
                        ch.pipeline().addLast(ssl);
                        if (plan.h2()) {
                            ch.pipeline()
                                    .addLast(
                                            Http2FrameCodecBuilder.forClient().build(),
                                            new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                                @Override
                                                protected void channelRead0(ChannelHandlerContext ctx, Object msg) {}
                                            }),
                                            new H2Starter());
                        } else {
                            ch.pipeline().addLast(new HttpClientCodec(), new H1Connection(started));
                        }
                    }
                })
                .connect(plan.host(), plan.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        results.error();
                        if (running) {
                            group.schedule(this::connect, 100, TimeUnit.MILLISECONDS);
                        }
                    }
                });
    }

    /** One HTTP/1.1 keep-alive connection (or one request per connection in handshake mode). */
    private final class H1Connection extends SimpleChannelInboundHandler<HttpObject> {
        private final long connectStarted;
        private final ArrayDeque<Long> due = new ArrayDeque<>();
        private ScheduledFuture<?> ticker;
        private boolean busy;
        private long sentAt;
        private final Tally tally = new Tally();

        H1Connection(long connectStarted) {
            this.connectStarted = connectStarted;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (!handshake.isSuccess()) {
                    results.error();
                    ctx.close();
                    return;
                }
                results.connected();
                if (plan.rate() > 0 && !plan.newConnectionPerRequest()) {
                    long interval = (long) (1e9 * plan.connections() / plan.rate());
                    long[] next = {System.nanoTime()};
                    ticker = ctx.executor()
                            .scheduleAtFixedRate(
                                    () -> {
                                        due.add(next[0]);
                                        next[0] += interval;
                                        if (!busy) {
                                            send(ctx);
                                        }
                                    },
                                    0,
                                    interval,
                                    TimeUnit.NANOSECONDS);
                } else {
                    due.add(plan.newConnectionPerRequest() ? connectStarted : System.nanoTime());
                    send(ctx);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void send(ChannelHandlerContext ctx) {
            if (!running || due.isEmpty()) {
                return;
            }
            busy = true;
            sentAt = due.poll();
            tally.reset();
            ctx.writeAndFlush(request());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (tally.ended(msg)) {
                results.response(tally.status, System.nanoTime() - sentAt, tally.bytes);
                busy = false;
                if (plan.newConnectionPerRequest()) {
                    ctx.close();
                    connect();
                } else if (plan.rate() > 0) {
                    send(ctx);
                } else {
                    due.add(System.nanoTime());
                    send(ctx);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ticker != null) {
                ticker.cancel(false);
            }
            if (busy) {
                results.error();
            }
            if (running && !plan.newConnectionPerRequest()) {
                connect(); // the server closed a keep-alive connection: keep the connection count
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Opens the stream slots of an HTTP/2 connection once its handshake is done. */
    private final class H2Starter extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (!handshake.isSuccess()) {
                    results.error();
                    ctx.close();
                    return;
                }
                results.connected();
                Http2StreamChannelBootstrap streams = new Http2StreamChannelBootstrap(ctx.channel());
                for (int i = 0; i < plan.streams(); i++) {
                    openStream(streams);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void openStream(Http2StreamChannelBootstrap streams) {
            if (!running) {
                return;
            }
            long started = System.nanoTime();
            streams.handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel stream) {
                            stream.pipeline()
                                    .addLast(
                                            new Http2StreamFrameToHttpObjectCodec(false),
                                            new SimpleChannelInboundHandler<HttpObject>() {
                                                private final Tally tally = new Tally();

                                                @Override
                                                protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                                    if (tally.ended(msg)) {
                                                        results.response(
                                                                tally.status, System.nanoTime() - started, tally.bytes);
                                                        ctx.close();
                                                        openStream(streams);
                                                    }
                                                }

                                                @Override
                                                public void exceptionCaught(
                                                        ChannelHandlerContext ctx, Throwable cause) {
                                                    results.error();
                                                    ctx.close();
                                                }
                                            });
                        }
                    })
                    .open()
                    .addListener(f -> {
                        if (f.isSuccess()) {
                            ((Http2StreamChannel) f.getNow()).writeAndFlush(request());
                        } else {
                            results.error();
                        }
                    });
        }
    }

    /** One response as it arrives: its status and body bytes. */
    private static final class Tally {
        int status;
        long bytes;

        void reset() {
            status = 0;
            bytes = 0;
        }

        /** Counts {@code msg}; true once the response has ended. */
        boolean ended(HttpObject msg) {
            if (msg instanceof HttpResponse response) {
                status = response.status().code();
            }
            if (msg instanceof HttpContent content) {
                bytes += content.content().readableBytes();
            }
            return msg instanceof LastHttpContent;
        }
    }
}
