package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.gateway.metrics.CertificateExpiry;
import dev.vendorgate.policy.Limits;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Gauges read from the gateway's state at scrape time: connections, suspensions, requests in
 * flight, quota usage, the audit trail and certificate expiry. Labelled by vendor id (from the
 * policy) only; a vendor removed from the policy drops out of the next scrape.
 */
public final class StateGauges {

    private StateGauges() {}

    /** Registers the gauges on {@code registry}; {@code info} labels the build info gauge. */
    public static void register(PrometheusRegistry registry, GatewayState state, Map<String, String> info) {
        GaugeWithCallback.builder()
                .name("vendorgate_build_info")
                .help("Always 1; the labels say which build runs with which transport and TLS provider")
                .labelNames(info.keySet().toArray(String[]::new))
                .callback(cb -> cb.call(1, info.values().toArray(String[]::new)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_connections")
                .help("Open vendor connections, by vendor")
                .labelNames("vendor")
                .callback(cb ->
                        vendors(state).forEach(v -> cb.call(state.connections().count(v.id()), v.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_vendor_suspended")
                .help("1 while nothing of the vendor is served (policy, its own or the global suspension)")
                .labelNames("vendor")
                .callback(cb -> vendors(state)
                        .forEach(v -> cb.call(status(state, v) == VendorStatus.SUSPENDED ? 1 : 0, v.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_vendor_read_only")
                .help("1 while only safe methods of the vendor are served")
                .labelNames("vendor")
                .callback(cb -> vendors(state)
                        .forEach(v -> cb.call(status(state, v) == VendorStatus.READ_ONLY ? 1 : 0, v.id())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_global_suspended")
                .help("1 while the global kill switch is on")
                .callback(cb ->
                        cb.call(state.control().global(state.clock().instant()).isPresent() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_requests_in_flight")
                .help("Requests being forwarded, by vendor")
                .labelNames("vendor")
                .callback(cb -> vendors(state)
                        .forEach(v -> cb.call(state.limiters().of(v.id()).inFlight(), v.id())))
                .register(registry);
        quotas(registry, state);
        audit(registry, state);
        certificates(registry, state);
        GaugeWithCallback.builder()
                .name("vendorgate_memory_pressure")
                .help("1 while buffer memory is nearly used up and new requests are shed")
                .callback(cb -> cb.call(state.memoryPressure() ? 1 : 0))
                .register(registry);
    }

    private static void quotas(PrometheusRegistry registry, GatewayState state) {
        GaugeWithCallback.builder()
                .name("vendorgate_quota_used_bytes")
                .help("Bytes counted against the vendor's daily quota in the current period (out: to the vendor)")
                .unit(Unit.BYTES)
                .labelNames("vendor", "direction")
                .callback(cb -> {
                    Instant now = state.clock().instant();
                    vendors(state).forEach(v -> {
                        VendorLimiter limiter = state.limiters().of(v.id());
                        cb.call(limiter.bytesOut(now), v.id(), "out");
                        cb.call(limiter.bytesIn(now), v.id(), "in");
                    });
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_quota_limit_bytes")
                .help("The vendor's daily byte quota, for vendors that have one")
                .unit(Unit.BYTES)
                .labelNames("vendor", "direction")
                .callback(cb -> vendors(state).forEach(v -> {
                    Limits limits = state.limiters().of(v.id()).limits();
                    if (limits.bytesOutPerDay() > 0) {
                        cb.call(limits.bytesOutPerDay(), v.id(), "out");
                    }
                    if (limits.bytesInPerDay() > 0) {
                        cb.call(limits.bytesInPerDay(), v.id(), "in");
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_quota_reset_seconds")
                .help("Seconds until the daily quota period starts over")
                .unit(Unit.SECONDS)
                .callback(cb -> {
                    Instant now = state.clock().instant();
                    Instant reset = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)); // periods are UTC days
                    cb.call(Duration.between(now, reset).toMillis() / 1000.0);
                })
                .register(registry);
    }

    private static void audit(PrometheusRegistry registry, GatewayState state) {
        GaugeWithCallback.builder()
                .name("vendorgate_audit_queue_depth")
                .help("Audit records waiting to be written")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    cb.call(audit == null ? 0 : audit.queued());
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_audit_healthy")
                .help("1 while the audit trail is being written; 0 after a write failure")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    cb.call(audit == null || audit.healthy() ? 1 : 0);
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_audit_trail_broken")
                .help("1 if the audit trail did not verify up to its last signed checkpoint when the gateway started")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    cb.call(audit != null && audit.startProblem() != null ? 1 : 0);
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_audit_checkpoint_seq")
                .help("Sequence number of the last signed audit checkpoint (its hash is in the admin API status): "
                        + "a record of it outside the host catches a trail rewritten later")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    AuditLog.Head head = audit == null ? null : audit.head();
                    cb.call(head == null ? -1 : head.seq());
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("vendorgate_audit_records_written")
                .help("Audit records written to disk")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    cb.call(audit == null ? 0 : audit.written());
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("vendorgate_audit_records_dropped")
                .help("Audit records that could not be written (fail-open mode only; fail-closed refuses instead)")
                .callback(cb -> {
                    AuditLog audit = state.audit();
                    cb.call(audit == null ? 0 : audit.dropped());
                })
                .register(registry);
    }

    private static void certificates(PrometheusRegistry registry, GatewayState state) {
        CertificateExpiry expiry = state.certificates();
        GaugeWithCallback.builder()
                .name("vendorgate_client_certificate_expiry_seconds")
                .help("Seconds until each vendor client certificate seen in the last day expires (negative: "
                        + "expired)")
                .unit(Unit.SECONDS)
                .labelNames("vendor", "cert_sha256")
                .callback(cb -> {
                    Instant now = state.clock().instant();
                    for (CertificateExpiry.Seen seen : expiry.clients()) {
                        cb.call(seconds(now, seen.notAfter()), seen.vendor(), seen.sha256());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("vendorgate_server_certificate_expiry_seconds")
                .help("Seconds until the certificate each listener presents expires")
                .unit(Unit.SECONDS)
                .labelNames("listener")
                .callback(cb -> {
                    Instant now = state.clock().instant();
                    expiry.servers().forEach((listener, notAfter) -> cb.call(seconds(now, notAfter), listener));
                })
                .register(registry);
    }

    private static double seconds(Instant now, Instant then) {
        return Duration.between(now, then).toMillis() / 1000.0;
    }

    private static Iterable<Vendor> vendors(GatewayState state) {
        return state.snapshot().access().policy().vendors();
    }

    private static VendorStatus status(GatewayState state, Vendor vendor) {
        return state.control().effectiveStatus(vendor, state.clock().instant());
    }
}
