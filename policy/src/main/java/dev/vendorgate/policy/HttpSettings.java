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
 * @param headerTimeout how long a request head may take from its first byte to its end (slow
 *     clients holding connections open byte by byte get 408)
 * @param maxHeaderCount the most header fields a request may carry
 * @param underscoreHeaders what to do with a header whose name contains '_' (some servers read
 *     {@code X_Vendor} as {@code X-Vendor}, which lets a client smuggle a header past hygiene)
 * @param maxConnectionsPerAddress connections open at once from one source address, counted
 *     before the TLS handshake: one address cannot take every slot of {@code maxConnections}
 */
public record HttpSettings(
        int maxConnections,
        Duration idleTimeout,
        int maxHeaderBytes,
        int maxRequestLineBytes,
        int maxConcurrentStreams,
        int maxInFlight,
        Duration headerTimeout,
        int maxHeaderCount,
        UnderscoreHeaders underscoreHeaders,
        int maxConnectionsPerAddress) {

    public static final HttpSettings DEFAULTS = new HttpSettings(
            10_000,
            Duration.ofSeconds(60),
            16 * 1024,
            8 * 1024,
            128,
            8192,
            Duration.ofSeconds(10),
            100,
            UnderscoreHeaders.REJECT,
            1_000);

    /** What happens to a request header whose name contains an underscore. */
    public enum UnderscoreHeaders implements Worded {
        /** The request is refused with 400 (the default). */
        REJECT("reject"),
        /** The header is removed before the request is forwarded. */
        DROP("drop"),
        /** The header is forwarded. */
        ALLOW("allow");

        private final String word;

        UnderscoreHeaders(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** The action named {@code word}, or null. */
        public static UnderscoreHeaders fromWord(String word) {
            return Worded.fromWord(UnderscoreHeaders.class, word);
        }
    }

    public HttpSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(underscoreHeaders, "underscoreHeaders");
    }
}
