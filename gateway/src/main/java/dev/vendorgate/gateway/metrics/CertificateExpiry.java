package dev.vendorgate.gateway.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the certificates the gateway has seen expire: every vendor client certificate that
 * completed a handshake recently (bounded: the {@value #MAX_CLIENT_CERTIFICATES} most recently
 * seen, each forgotten a day after its last connection), and the gateway's own server
 * certificates by listener.
 */
public final class CertificateExpiry {

    static final int MAX_CLIENT_CERTIFICATES = 1024;

    /** A client certificate seen on a handshake. */
    public record Seen(String vendor, String sha256, Instant notAfter) {}

    private final Cache<String, Seen> clients = Caffeine.newBuilder()
            .maximumSize(MAX_CLIENT_CERTIFICATES)
            .expireAfterAccess(Duration.ofDays(1))
            .build();
    private final Map<String, Instant> servers = new ConcurrentHashMap<>();

    /** Records a vendor client certificate (called once per connection, after the handshake). */
    public void clientSeen(String vendor, String sha256, Instant notAfter) {
        Seen seen = clients.getIfPresent(sha256);
        if (seen == null || !seen.vendor().equals(vendor)) {
            clients.put(sha256, new Seen(vendor, sha256, notAfter));
        }
    }

    /** Records the certificate a listener presents (at bind and whenever it is reloaded). */
    public void serverCertificate(String listener, Instant notAfter) {
        servers.put(listener, notAfter);
    }

    public Iterable<Seen> clients() {
        return clients.asMap().values();
    }

    public Map<String, Instant> servers() {
        return Map.copyOf(servers);
    }
}
