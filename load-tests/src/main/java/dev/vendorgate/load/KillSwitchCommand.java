package dev.vendorgate.load;

import dev.vendorgate.gateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code killswitch}: how long a suspension takes to end a vendor's traffic. Opens many
 * connections of one vendor, each with a request in flight, keeps another vendor's load running,
 * calls the admin API's suspend, and measures from the call to each connection's close.
 */
@Command(
        name = "killswitch",
        mixinStandardHelpOptions = true,
        description = "Time from a suspend call to the last of the vendor's connections closing.")
final class KillSwitchCommand implements Callable<Integer> {

    @Option(names = "--gateway", required = true, description = "vendor listener, https://host:port")
    URI gateway;

    @Option(names = "--admin", required = true, description = "admin listener, https://host:port")
    URI admin;

    @Option(names = "--vendor", required = true, description = "the vendor to suspend, as in the policy")
    String vendor;

    @Option(names = "--cert", required = true, description = "a certificate of that vendor")
    Path cert;

    @Option(names = "--key", required = true, description = "its key")
    Path key;

    @Option(names = "--other-cert", required = true, description = "a certificate of another vendor (keeps going)")
    Path otherCert;

    @Option(names = "--other-key", required = true, description = "its key")
    Path otherKey;

    @Option(names = "--operator-cert", required = true, description = "an operator certificate")
    Path operatorCert;

    @Option(names = "--operator-key", required = true, description = "its key")
    Path operatorKey;

    @Option(names = "--ca", required = true, description = "CA of the gateway's certificate")
    Path ca;

    @Option(
            names = "--path",
            defaultValue = "/slow/60000",
            description =
                    "what the vendor's connections request " + "(default: ${DEFAULT-VALUE}, answered after a minute)")
    String path;

    @Option(names = "--other-path", defaultValue = "/", description = "what the other vendor requests")
    String otherPath;

    @Option(
            names = {"-c", "--connections"},
            defaultValue = "1000",
            description = "the vendor's connections")
    int connections;

    @Option(
            names = "--other-connections",
            defaultValue = "8",
            description =
                    "closed-loop connections of the other vendor during the suspension (default: ${DEFAULT-VALUE})")
    int otherConnections;

    @Option(names = "--json", description = "print each round's result as one JSON object")
    boolean json;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "suspensions to measure, one after another in this process, each on fresh connections "
                    + "and each followed by a resume (default: ${DEFAULT-VALUE}); the first runs this generator's "
                    + "own reset handling cold, the later ones warm, as a client on another machine would be")
    int rounds;

    @Option(names = "--token-scope", description = "get bearer tokens with this scope for both vendors first")
    String tokenScope;

    private String authorization;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rounds must be at least 1");
        }
        Transport transport = Transport.detect(false);
        EventLoopGroup group = transport.newGroup(Runtime.getRuntime().availableProcessors(), "killswitch");
        try {
            SslContext tls = Tls.client(cert, key, ca, false);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(Tls.jdk(operatorCert, operatorKey, ca))
                    .build();
            boolean allClosed = true;
            for (int round = 1; round <= rounds; round++) {
                allClosed &= round(transport, group, tls, client, round);
            }
            return allClosed ? 0 : 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One suspension on fresh connections, then a resume; prints the result and says whether it held. */
    private boolean round(Transport transport, EventLoopGroup group, SslContext tls, HttpClient client, int round)
            throws Exception {
        // a suspension revokes the tokens the vendor holds: each round gets its own, after the last round's resume
        authorization = tokenScope == null
                ? null
                : "Bearer " + RunCommand.token(gateway.getHost(), gateway.getPort(), cert, key, ca, tokenScope);
        String otherAuthorization = tokenScope == null
                ? null
                : "Bearer "
                        + RunCommand.token(gateway.getHost(), gateway.getPort(), otherCert, otherKey, ca, tokenScope);
        List<Channel> open = new ArrayList<>(connections);
        CountDownLatch ready = new CountDownLatch(connections);
        AtomicLong[] closedAt = new AtomicLong[connections];
        for (int i = 0; i < connections; i++) {
            AtomicLong closed = closedAt[i] = new AtomicLong();
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(transport.clientChannel())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            tls.newHandler(ch.alloc(), gateway.getHost(), gateway.getPort()),
                                            new HttpClientCodec(),
                                            new InFlight(ready));
                        }
                    })
                    .connect(gateway.getHost(), gateway.getPort())
                    .sync()
                    .channel();
            channel.closeFuture().addListener(f -> closed.set(System.nanoTime()));
            open.add(channel);
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every connection got its request in flight");
        }
        Thread.sleep(500); // the requests reach the upstream
        Generator.Plan otherPlan = new Generator.Plan(
                gateway.getHost(),
                gateway.getPort(),
                otherPath,
                otherAuthorization,
                otherConnections,
                1,
                false,
                false,
                0);
        CompletableFuture<Results> other = CompletableFuture.supplyAsync(() -> {
            try {
                return RunCommand.run(otherPlan, Tls.client(otherCert, otherKey, ca, false), 1, 0.5, 3, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        // an admin call first: the timing below starts with a warm, open admin connection
        client.send(
                HttpRequest.newBuilder(admin.resolve("/admin/status")).build(), HttpResponse.BodyHandlers.ofString());
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(admin.resolve("/admin/vendors/" + vendor + "/suspend"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"kill switch benchmark\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long returned = System.nanoTime();
        for (Channel channel : open) {
            channel.closeFuture().await(10, TimeUnit.SECONDS);
        }
        Results otherResults = other.get(30, TimeUnit.SECONDS);
        Histogram closes = new Histogram(3);
        long last = 0;
        int notClosed = 0;
        for (AtomicLong closed : closedAt) {
            if (closed.get() == 0) {
                notClosed++;
                continue;
            }
            long micros = Math.max(1, (closed.get() - start) / 1000);
            closes.recordValue(micros);
            last = Math.max(last, micros);
        }
        double callMs = (returned - start) / 1e6;
        // the gateway's own time for the call (tookMs), without this JVM's work on 1,000 closes around it
        java.util.regex.Matcher took =
                java.util.regex.Pattern.compile("\"tookMs\"\\s*:\\s*([0-9.]+)").matcher(response.body());
        double serverMs = took.find() ? Double.parseDouble(took.group(1)) : -1;
        // what the node called says it cut (in a fleet, its own connections only): a round whose requests were
        // refused before the call shows fewer in flight
        java.util.regex.Matcher cut =
                java.util.regex.Pattern.compile("\"requests\"\\s*:\\s*([0-9]+)").matcher(response.body());
        int inFlight = cut.find() ? Integer.parseInt(cut.group(1)) : -1;
        if (json) {
            System.out.printf(
                    Locale.ROOT,
                    "{\"scenario\":\"killswitch\",\"round\":%d,\"connections\":%d,\"in_flight_cut\":%d,\"status\":%d,"
                            + "\"call_ms\":%.3f,\"server_ms\":%.1f,\"close_p50_ms\":%.3f,\"close_p99_ms\":%.3f,\"last_close_ms\":%.3f,"
                            + "\"not_closed\":%d,\"other_ok\":%d,\"other_errors\":%d}%n",
                    round,
                    connections,
                    inFlight,
                    response.statusCode(),
                    callMs,
                    serverMs,
                    closes.getValueAtPercentile(50) / 1000.0,
                    closes.getValueAtPercentile(99) / 1000.0,
                    last / 1000.0,
                    notClosed,
                    otherResults.ok(),
                    otherResults.requests() - otherResults.ok() + otherResults.errors());
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "round %d: suspend answered %d in %.2f ms (%.1f ms by the gateway's count, %d requests in flight cut); "
                            + "%d connections closed: p50 %.2f ms, "
                            + "p99 %.2f ms, last %.2f ms after the call; %d not closed; the other vendor: %d ok, %d errors%n",
                    round,
                    response.statusCode(),
                    callMs,
                    serverMs,
                    inFlight,
                    connections - notClosed,
                    closes.getValueAtPercentile(50) / 1000.0,
                    closes.getValueAtPercentile(99) / 1000.0,
                    last / 1000.0,
                    notClosed,
                    otherResults.ok(),
                    otherResults.requests() - otherResults.ok() + otherResults.errors());
        }
        client.send(
                HttpRequest.newBuilder(admin.resolve("/admin/vendors/" + vendor + "/resume"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"kill switch benchmark done\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return notClosed == 0 && response.statusCode() == 200;
    }

    /** Sends one request once the handshake is done and counts the connection as ready. */
    private final class InFlight extends ChannelInboundHandlerAdapter {
        private final CountDownLatch ready;

        InFlight(CountDownLatch ready) {
            this.ready = ready;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                request.headers().set(HttpHeaderNames.HOST, gateway.getHost());
                if (authorization != null) {
                    request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
                }
                ctx.writeAndFlush(request).addListener(f -> ready.countDown());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
