package dev.vendorgate.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A lab data service the gateway forwards to, over HTTP/1.1 with pooled keep-alive connections.
 *
 * @param id the name routes refer to
 * @param scheme {@code http} or {@code https}
 * @param host host name or address to connect to
 * @param port TCP port
 * @param timeouts connect, request and idle timeouts
 * @param tls how to verify an {@code https} upstream (absent for {@code http})
 * @param maxIdleConnections idle keep-alive connections kept per event loop
 */
public record Upstream(
        String id,
        String scheme,
        String host,
        int port,
        Timeouts timeouts,
        Optional<UpstreamTls> tls,
        int maxIdleConnections) {

    public Upstream {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tls, "tls");
    }

    public boolean isTls() {
        return "https".equals(scheme);
    }

    /** {@code host:port} as sent in the Host header to this upstream. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * @param connect time allowed to open the TCP connection (and the TLS handshake, for https)
     * @param request time from the request being sent until the response headers arrive
     * @param idle time an exchange may go without a byte moving in either direction
     */
    public record Timeouts(Duration connect, Duration request, Duration idle) {
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60));

        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(idle, "idle");
        }
    }

    /**
     * @param ca PEM CA certificates the upstream's certificate must chain to; empty means the
     *     JDK's default trust store
     * @param serverName the name to verify in the upstream's certificate and send as SNI
     *     (defaults to the host)
     */
    public record UpstreamTls(List<Path> ca, Optional<String> serverName) {
        public UpstreamTls {
            ca = List.copyOf(ca);
            Objects.requireNonNull(serverName, "serverName");
        }
    }
}
