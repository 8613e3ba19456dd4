package dev.vendorgate.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway listens. The vendor listener is the only one reachable by vendors; the
 * admin listener takes operator certificates; the metrics listener is plain HTTP and should
 * be bound to a private address.
 */
public record Listeners(VendorListener vendor, Optional<AdminListener> admin, Optional<MetricsListener> metrics) {

    public Listeners {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** The listener vendors connect to: mutual TLS, HTTP/1.1 and HTTP/2. */
    public record VendorListener(Endpoint bind, ServerTls tls, HttpSettings http) {
        public VendorListener {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(http, "http");
        }
    }

    /** The operators' listener for the admin API: mutual TLS against the operators' CA. */
    public record AdminListener(Endpoint bind, ServerTls tls) {
        public AdminListener {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** Plain HTTP: metrics, health and readiness. */
    public record MetricsListener(Endpoint bind) {
        public MetricsListener {
            Objects.requireNonNull(bind, "bind");
        }
    }
}
