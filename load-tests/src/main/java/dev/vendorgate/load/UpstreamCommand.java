package dev.vendorgate.load;

import dev.vendorgate.gateway.http.GeneratedBytes;
import dev.vendorgate.gateway.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upstream}: the plain-HTTP data service every proxy in a comparison forwards to. Any path
 * answers {@code --size} bytes; {@code /bytes/N} streams N bytes; {@code /slow/MS} answers after
 * MS milliseconds.
 */
@Command(
        name = "upstream",
        mixinStandardHelpOptions = true,
        description = "Serve fixed-size responses over plain HTTP.")
final class UpstreamCommand implements Callable<Integer> {

    /** The bytes of {@code GET /bytes/N}: zeros. */
    private static final GeneratedBytes.Pattern ZEROS = GeneratedBytes.Pattern.of(1, i -> 0);

    @Option(names = "--port", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--size", defaultValue = "1024", description = "response body bytes (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--threads", defaultValue = "0", description = "event loop threads (0: one per core)")
    int threads;

    @Override
    public Integer call() throws Exception {
        Channel channel = start(bind, port, size, threads);
        System.out.println("upstream listening on " + channel.localAddress() + ", " + size + "-byte responses");
        channel.closeFuture().sync();
        return 0;
    }

    /** Starts the upstream; close the returned channel (and its group) to stop it. */
    static Channel start(String bind, int port, int size, int threads) throws InterruptedException {
        Transport transport = Transport.detect(false);
        EventLoopGroup group =
                transport.newGroup(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), "upstream");
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(new byte[size]));
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(1 << 20),
                                        new ChunkedWriteHandler(),
                                        new Handler(body));
                    }
                })
                .bind(bind, port)
                .sync()
                .channel();
        channel.closeFuture().addListener(f -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        return channel;
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ByteBuf body;

        Handler(ByteBuf body) {
            this.body = body;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (uri.startsWith("/bytes/")) {
                long n = Long.parseLong(uri.substring("/bytes/".length()));
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setContentLength(head, n);
                HttpUtil.setKeepAlive(head, keepAlive);
                ctx.write(head);
                ctx.writeAndFlush(new HttpChunkedInput(new GeneratedBytes(n, ZEROS)))
                        .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
                return;
            }
            FullHttpResponse response =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.retainedDuplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            HttpUtil.setContentLength(response, body.readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            if (uri.startsWith("/slow/")) {
                long millis = Long.parseLong(uri.substring("/slow/".length()));
                ctx.executor().schedule(() -> send(ctx, response, keepAlive), millis, TimeUnit.MILLISECONDS);
            } else {
                send(ctx, response, keepAlive);
            }
        }

        private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
            ctx.writeAndFlush(response)
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
