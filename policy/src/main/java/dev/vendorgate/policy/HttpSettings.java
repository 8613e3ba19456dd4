package dev.vendorgate.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-listener HTTP limits that protect the gateway from slow or oversized clients.
 *
 * @param maxConnections open connections accepted on the listener, all vendors together
 * @param idleTimeout a connection with no request in flight and no bytes moving is closed after this
 * @param maxHeaderBytes the largest request header block accepted (request line excluded)
 * @param maxRequestLineBytes the largest request line accepted (method, target and version)
 * @param maxConcurrentStreams HTTP/2 streams a client may open at once on one connection
 * @param maxInFlight requests being forwarded at once, all vendors together; beyond it new ones get 503
 */
public record HttpSettings(int maxConnections, Duration idleTimeout, int maxHeaderBytes, int maxRequestLineBytes,
                           int maxConcurrentStreams, int maxInFlight) {

    public static final HttpSettings DEFAULTS =
            new HttpSettings(10_000, Duration.ofSeconds(60), 16 * 1024, 8 * 1024, 128, 8192);

    public HttpSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
