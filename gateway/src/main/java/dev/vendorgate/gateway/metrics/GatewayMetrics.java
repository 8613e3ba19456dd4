package dev.vendorgate.gateway.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's own metrics, registered on an injected registry (never the global one, so tests
 * and several gateways in one process each see their own). Every label is bounded: vendor, route
 * and upstream ids come from the policy, reasons from fixed code lists; never a path, a client id
 * or a token.
 */
public final class GatewayMetrics {

    /** Label value for requests whose certificate matched no vendor. */
    public static final String NO_VENDOR = "(none)";
    /** Label value for requests that matched no route. */
    public static final String NO_ROUTE = "(none)";

    static final double[] DURATION_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
    };

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram duration;
    private final Counter bytes;
    private final Counter refusals;
    private final Counter handshakeFailures;
    private final Counter tokensIssued;
    private final Counter tokenChecks;
    private final Counter upstreamErrors;
    private final Histogram upstreamDuration;
    private final TrafficHistory traffic;
    private final Counter tripwireTrips;
    /**
     * Data points of the per-request metrics with one label, by label value: a lookup by a String
     * (its hash kept) instead of the client's by a label list, on every request. Both sets are small
     * and fixed (token outcomes, the policy's upstreams).
     */
    private final ConcurrentHashMap<String, CounterDataPoint> tokenCheckPoints = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, DistributionDataPoint> upstreamDurationPoints = new ConcurrentHashMap<>();

    public GatewayMetrics(PrometheusRegistry registry, java.time.Clock clock) {
        this.registry = registry;
        this.traffic = new TrafficHistory(clock);
        requests = Counter.builder()
                .name("vendorgate_requests_total")
                .help("Requests by vendor, route and status class")
                .labelNames("vendor", "route", "status_class")
                .withoutExemplars()
                .register(registry);
        duration = Histogram.builder()
                .name("vendorgate_request_duration_seconds")
                .help("Time from request head to end of response")
                .unit(Unit.SECONDS)
                .labelNames("vendor", "route")
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        bytes = Counter.builder()
                .name("vendorgate_bytes_total")
                .help("Body bytes moved, by vendor and direction (out: to the vendor)")
                .labelNames("vendor", "direction")
                .withoutExemplars()
                .register(registry);
        refusals = Counter.builder()
                .name("vendorgate_refusals_total")
                .help("Requests refused or failed, by vendor and stable reason code")
                .labelNames("vendor", "reason")
                .withoutExemplars()
                .register(registry);
        handshakeFailures = Counter.builder()
                .name("vendorgate_tls_handshake_failures_total")
                .help("TLS handshakes that failed, by listener and reason")
                .labelNames("listener", "reason")
                .withoutExemplars()
                .register(registry);
        tokensIssued = Counter.builder()
                .name("vendorgate_tokens_issued_total")
                .help("Access tokens issued, by vendor")
                .labelNames("vendor")
                .withoutExemplars()
                .register(registry);
        tokenChecks = Counter.builder()
                .name("vendorgate_token_verifications_total")
                .help("Access token checks, by outcome (valid, or the failure code)")
                .labelNames("outcome")
                .withoutExemplars()
                .register(registry);
        upstreamErrors = Counter.builder()
                .name("vendorgate_upstream_errors_total")
                .help("Failures talking to upstreams, by upstream and kind")
                .labelNames("upstream", "kind")
                .withoutExemplars()
                .register(registry);
        tripwireTrips = Counter.builder()
                .name("vendorgate_tripwire_trips_total")
                .help("Tripwire trips and alerts, by vendor, rule (canary or a baseline rule id) and action")
                .labelNames("vendor", "rule", "action")
                .withoutExemplars()
                .register(registry);
        upstreamDuration = Histogram.builder()
                .name("vendorgate_upstream_response_seconds")
                .help("Time from request sent to response headers, by upstream")
                .unit(Unit.SECONDS)
                .labelNames("upstream")
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Each vendor's recent traffic, kept in memory for the ops console. */
    public TrafficHistory traffic() {
        return traffic;
    }

    /** One request, as it ended (called exactly once per request, with its audit record). */
    public void request(
            String vendor, String route, int status, String reason, long bytesIn, long bytesOut, long durationNanos) {
        String v = vendor == null ? NO_VENDOR : vendor;
        String r = route == null ? NO_ROUTE : route;
        ConcurrentHashMap<String, Points> ofVendor = points.computeIfAbsent(v, x -> new ConcurrentHashMap<>());
        Points p = ofVendor.get(r);
        if (p == null) {
            p = ofVendor.computeIfAbsent(r, x -> new Points());
        }
        p.requests(v, r, status).inc();
        p.duration(v, r).observe(durationNanos / 1e9);
        if (bytesIn > 0) {
            p.bytes(v, 0, "in").inc(bytesIn);
        }
        if (bytesOut > 0) {
            p.bytes(v, 1, "out").inc(bytesOut);
        }
        if (reason != null) {
            refusals.labelValues(v, baseReason(reason)).inc();
        }
        if (vendor != null) {
            traffic.record(vendor, reason == null ? null : baseReason(reason), bytesIn, bytesOut);
        }
    }

    /**
     * The data points of one vendor and route, looked up once and kept (the label lookup, an array
     * and a map probe each, was a cost per request); each is made on first use, so a series shows
     * only once it has a value, as before.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Points>> points = new ConcurrentHashMap<>();

    private final class Points {
        private final AtomicReferenceArray<CounterDataPoint> byClass = new AtomicReferenceArray<>(6);
        private final AtomicReferenceArray<CounterDataPoint> byDirection = new AtomicReferenceArray<>(2);
        private volatile DistributionDataPoint duration;

        CounterDataPoint requests(String vendor, String route, int status) {
            int index = status <= 0 ? 0 : status / 100;
            if (index >= byClass.length()) { // not an HTTP status class: not kept
                return GatewayMetrics.this.requests.labelValues(vendor, route, statusClass(status));
            }
            CounterDataPoint point = byClass.get(index);
            if (point == null) {
                point = GatewayMetrics.this.requests.labelValues(vendor, route, statusClass(status));
                byClass.set(index, point);
            }
            return point;
        }

        DistributionDataPoint duration(String vendor, String route) {
            DistributionDataPoint point = duration;
            if (point == null) {
                point = GatewayMetrics.this.duration.labelValues(vendor, route);
                duration = point;
            }
            return point;
        }

        CounterDataPoint bytes(String vendor, int index, String direction) {
            CounterDataPoint point = byDirection.get(index);
            if (point == null) {
                point = GatewayMetrics.this.bytes.labelValues(vendor, direction);
                byDirection.set(index, point);
            }
            return point;
        }
    }

    /** A reason code with its detail after ':' dropped, except the quota name (bounded either way). */
    static String baseReason(String reason) {
        return reason.startsWith("quota-exceeded:") ? reason : reason.split(":", 2)[0];
    }

    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    static String statusClass(int status) {
        int index = status <= 0 ? 0 : status / 100;
        return index < STATUS_CLASSES.length ? STATUS_CLASSES[index] : index + "xx";
    }

    public void handshakeFailure(String listener, String reason) {
        handshakeFailures.labelValues(listener, reason).inc();
    }

    public void tokenIssued(String vendor) {
        tokensIssued.labelValues(vendor).inc();
    }

    public void tokenChecked(String outcome) {
        CounterDataPoint point = tokenCheckPoints.get(outcome);
        if (point == null) {
            point = tokenCheckPoints.computeIfAbsent(outcome, tokenChecks::labelValues);
        }
        point.inc();
    }

    public void upstreamError(String upstream, String kind) {
        upstreamErrors.labelValues(upstream, kind).inc();
    }

    public void upstreamResponded(String upstream, long nanos) {
        DistributionDataPoint point = upstreamDurationPoints.get(upstream);
        if (point == null) {
            point = upstreamDurationPoints.computeIfAbsent(upstream, upstreamDuration::labelValues);
        }
        point.observe(nanos / 1e9);
    }

    /** A tripwire tripped for {@code vendor}: {@code action} is suspend or alert. */
    public void tripwireTripped(String vendor, String rule, String action) {
        tripwireTrips.labelValues(vendor, rule, action).inc();
    }
}
