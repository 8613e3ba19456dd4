package dev.vendorgate.load;

import dev.vendorgate.gateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code idle URL}: opens many mTLS connections, sends one request on each (so every layer has set
 * the connection up), then holds them idle, printing {@code ready N} once all are open, until
 * {@code --hold} has passed. Memory per idle connection is measured from outside.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, description = "Hold many idle mTLS connections open.")
final class IdleCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "https://host:port/path")
    URI url;

    @Option(names = "--cert", required = true, description = "client certificate (PEM)")
    Path cert;

    @Option(names = "--key", required = true, description = "its key")
    Path key;

    @Option(names = "--ca", required = true, description = "CA of the server's certificate")
    Path ca;

    @Option(
            names = {"-c", "--connections"},
            defaultValue = "2000",
            description = "connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--hold",
            defaultValue = "20",
            description = "seconds to hold them open (default: ${DEFAULT-VALUE})")
    int hold;

    @Option(names = "--token", description = "bearer token to send with the request")
    String token;

    @Override
    public Integer call() throws Exception {
        Transport transport = Transport.detect(false);
        EventLoopGroup group = transport.newGroup(Runtime.getRuntime().availableProcessors(), "idle");
        SslContext tls = Tls.client(cert, key, ca, false);
        CountDownLatch answered = new CountDownLatch(connections);
        List<Channel> open = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                open.add(new Bootstrap()
                        .group(group)
                        .channel(transport.clientChannel())
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(
                                                tls.newHandler(ch.alloc(), url.getHost(), url.getPort()),
                                                new HttpClientCodec(),
                                                new OneRequest(answered));
                            }
                        })
                        .connect(url.getHost(), url.getPort())
                        .sync()
                        .channel());
            }
            if (!answered.await(120, TimeUnit.SECONDS)) {
                System.out.println("failed " + answered.getCount() + " connections got no answer");
                return 1;
            }
            long alive = open.stream().filter(Channel::isActive).count();
            System.out.println("ready " + alive);
            System.out.flush();
            Thread.sleep(hold * 1000L);
            return alive == connections ? 0 : 1;
        } finally {
            open.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class OneRequest extends SimpleChannelInboundHandler<HttpObject> {
        private final CountDownLatch answered;

        OneRequest(CountDownLatch answered) {
            this.answered = answered;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                DefaultFullHttpRequest request =
                        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, url.getRawPath());
                request.headers().set(HttpHeaderNames.HOST, url.getHost());
                if (token != null) {
                    request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
                }
                ctx.writeAndFlush(request);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof LastHttpContent) {
                answered.countDown();
            }
        }
    }
}
