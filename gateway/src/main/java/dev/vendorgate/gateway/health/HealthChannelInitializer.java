package dev.vendorgate.gateway.health;

import dev.vendorgate.gateway.http.StrictHttpServerCodec;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** The metrics listener's pipeline: plain HTTP/1.1, tiny bodies, short timeouts. */
public final class HealthChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** A request head must arrive within this from its first byte (slowloris). */
    private static final long HEAD_TIMEOUT_MILLIS = 10_000;

    private final Readiness readiness;
    private final Map<String, Function<FullHttpRequest, HealthHandler.Answer>> extra;

    public HealthChannelInitializer(Readiness readiness) {
        this(readiness, Map.of());
    }

    /**
     * Also serves {@code /metrics} from {@code registry} and the token signing keys at
     * {@code /.well-known/jwks.json}, so that lab services can verify the gateway's upstream
     * assertions without a vendor certificate.
     */
    public static HealthChannelInitializer create(
            Readiness readiness, PrometheusRegistry registry, Supplier<Optional<String>> jwks) {
        MetricsScrape scrape = new MetricsScrape(registry);
        return new HealthChannelInitializer(
                readiness,
                Map.of(
                        "/metrics",
                        scrape::answer,
                        "/.well-known/jwks.json",
                        request -> jwks.get()
                                .map(json -> HealthHandler.json(HttpResponseStatus.OK, json))
                                .orElse(HealthHandler.text(
                                        HttpResponseStatus.NOT_FOUND, "tokens are not configured\n"))));
    }

    HealthChannelInitializer(Readiness readiness, Map<String, Function<FullHttpRequest, HealthHandler.Answer>> extra) {
        this.readiness = readiness;
        this.extra = extra;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("http-codec", new StrictHttpServerCodec(4096, 8192, 8192, HEAD_TIMEOUT_MILLIS))
                .addLast("read-timeout", new ReadTimeoutHandler(30))
                .addLast("aggregate", new HttpObjectAggregator(4096))
                .addLast("health", new HealthHandler(readiness, extra));
    }
}
