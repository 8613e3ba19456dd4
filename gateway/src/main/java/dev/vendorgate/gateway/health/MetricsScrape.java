package dev.vendorgate.gateway.health;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /metrics}: the registry in the format the scraper asks for in {@code Accept} —
 * Prometheus protobuf (which carries native histograms), OpenMetrics text, or the classic
 * Prometheus text format by default. A scrape reads counters and calls the gauges' callbacks,
 * which only read memory, so it runs on the event loop.
 */
final class MetricsScrape {

    private static final Logger LOG = Logger.getLogger(MetricsScrape.class.getName());

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    MetricsScrape(PrometheusRegistry registry) {
        this.registry = registry;
    }

    HealthHandler.Answer answer(FullHttpRequest request) {
        ExpositionFormatWriter writer = formats.findWriter(request.headers().get(HttpHeaderNames.ACCEPT));
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "metrics scrape failed", e);
            return HealthHandler.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics are unavailable\n");
        }
        return new HealthHandler.Answer(HttpResponseStatus.OK, writer.getContentType(), out.toByteArray());
    }
}
