package dev.vendorgate.gateway.audit;

import dev.vendorgate.gateway.metrics.GatewayMetrics;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * The audit record of one request while it is being handled: filled in as the request is
 * decided and forwarded, written exactly once when it ends, whichever way it ends. Confined to
 * the request's event loop.
 */
public final class AuditEntry {

    private static final int MAX_TARGET = 512;

    private final Instant time;
    private final long startNanos = System.nanoTime();
    private final String requestId;
    private final String protocol;
    private final String remote;
    private final String method;
    private String path;
    private String vendor;
    private String client;
    private String certSha256;
    private String tokenId;
    private String route;
    private String upstream;
    private boolean written;
    private boolean probation;

    /** A request that arrived at {@code time} (by the gateway's clock). */
    public AuditEntry(
            Instant time, String requestId, String protocol, SocketAddress remote, String method, String rawTarget) {
        this(time, requestId, protocol, address(remote), method, rawTarget);
    }

    /**
     * A request that arrived at {@code time}, from {@code remote} as {@link #address} writes it
     * (a connection formats its peer's address once, not once per request).
     */
    public AuditEntry(Instant time, String requestId, String protocol, String remote, String method, String rawTarget) {
        this.time = time;
        this.requestId = requestId;
        this.protocol = protocol;
        this.remote = remote;
        this.method = method;
        // until the target is canonical, keep a bounded, query-free copy of what was sent
        int query = rawTarget == null ? -1 : rawTarget.indexOf('?');
        String raw = query < 0 ? rawTarget : rawTarget.substring(0, query);
        this.path = raw != null && raw.length() > MAX_TARGET ? raw.substring(0, MAX_TARGET) + "..." : raw;
    }

    /** How a record names a peer: {@code address:port}. */
    public static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return remote == null ? null : remote.toString();
    }

    /** The vendor the request was identified as, or null (not yet, or never). */
    public String vendor() {
        return vendor;
    }

    /** The canonical path, or null before (or without) canonicalisation. */
    public String canonicalPath() {
        return path;
    }

    public String requestId() {
        return requestId;
    }

    public AuditEntry identity(String vendor, String client, String certSha256) {
        this.vendor = vendor;
        this.client = client;
        this.certSha256 = certSha256;
        return this;
    }

    public AuditEntry path(String canonicalPath) {
        this.path = canonicalPath;
        return this;
    }

    public AuditEntry route(String route, String upstream) {
        this.route = route;
        this.upstream = upstream;
        return this;
    }

    public AuditEntry token(String jti) {
        this.tokenId = jti;
        return this;
    }

    /** Marks the request as made while its vendor is on probation after a breach. */
    public AuditEntry probation(boolean onProbation) {
        this.probation = onProbation;
        return this;
    }

    public boolean written() {
        return written;
    }

    /**
     * Writes the record and counts the request in the metrics, once: {@code allow} or
     * {@code deny}, the reason code (null for a clean success). Either sink may be null.
     */
    public void write(
            AuditLog log,
            GatewayMetrics metrics,
            String decision,
            String reason,
            int status,
            long bytesIn,
            long bytesOut) {
        if (written) {
            return;
        }
        written = true;
        long nanos = System.nanoTime() - startNanos;
        if (metrics != null) {
            metrics.request(vendor, route, status, reason, bytesIn, bytesOut, nanos);
        }
        if (log != null) {
            log.record(new AuditRecord(
                    time,
                    requestId,
                    vendor,
                    client,
                    certSha256,
                    tokenId,
                    remote,
                    protocol,
                    method,
                    path,
                    route,
                    upstream,
                    decision,
                    reason,
                    status,
                    bytesIn,
                    bytesOut,
                    nanos / 1000,
                    probation));
        }
    }
}
