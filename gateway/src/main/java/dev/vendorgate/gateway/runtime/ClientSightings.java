package dev.vendorgate.gateway.runtime;

import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which clients and certificates each vendor has connected with, and when: first and last seen,
 * connections made and open now. Updated once when a connection is identified and once when it
 * closes, never per request. Bounded: a vendor keeps its {@value #MAX_PER_VENDOR} most recently
 * seen certificates, so one vendor presenting many certificates cannot exhaust memory.
 */
public final class ClientSightings {

    /** How many client certificates each vendor's table keeps; the least recently seen goes first. */
    public static final int MAX_PER_VENDOR = 1_000;

    /** One client certificate of a vendor as this node has seen it. */
    public record Sighting(
            String clientId,
            String sha256,
            Instant notAfter,
            Instant firstSeen,
            Instant lastSeen,
            long connections,
            int open) {}

    private final Clock clock;
    private final int cap;
    private final Map<String, Table> byVendor = new ConcurrentHashMap<>();

    public ClientSightings(Clock clock) {
        this(clock, MAX_PER_VENDOR);
    }

    ClientSightings(Clock clock, int cap) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cap = cap;
    }

    /** Records a connection of {@code vendor}'s client identified now; its close is recorded too. */
    public void connected(String vendor, String clientId, String sha256, Instant notAfter, Channel channel) {
        Table table = byVendor.computeIfAbsent(vendor, v -> new Table(cap));
        Instant now = clock.instant();
        table.opened(clientId, sha256, notAfter, now);
        channel.closeFuture().addListener(f -> table.closed(sha256, clock.instant()));
    }

    /** The vendor's clients, most recently seen first (a copy). */
    public List<Sighting> of(String vendor) {
        Table table = byVendor.get(vendor);
        return table == null ? List.of() : table.snapshot();
    }

    /** The certificates one vendor's table holds, by SHA-256; guarded by itself, touched once per connection. */
    private static final class Table {
        private final LinkedHashMap<String, Entry> entries;

        Table(int cap) {
            // access order: the eldest entry is the least recently seen, evicted beyond the cap
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    return size() > cap;
                }
            };
        }

        synchronized void opened(String clientId, String sha256, Instant notAfter, Instant now) {
            Entry entry = entries.get(sha256);
            if (entry == null) {
                entry = new Entry(clientId, sha256, notAfter, now);
                entries.put(sha256, entry);
            }
            entry.lastSeen = now;
            entry.connections++;
            entry.open++;
        }

        synchronized void closed(String sha256, Instant now) {
            Entry entry = entries.get(sha256);
            if (entry != null) { // null: evicted while open, by many newer certificates
                entry.lastSeen = now;
                entry.open = Math.max(0, entry.open - 1);
            }
        }

        synchronized List<Sighting> snapshot() {
            List<Sighting> out = new ArrayList<>(entries.size());
            for (Entry e : entries.values()) {
                out.add(new Sighting(e.clientId, e.sha256, e.notAfter, e.firstSeen, e.lastSeen, e.connections, e.open));
            }
            out.sort(Comparator.comparing(Sighting::lastSeen).reversed().thenComparing(Sighting::sha256));
            return out;
        }
    }

    private static final class Entry {
        final String clientId;
        final String sha256;
        final Instant notAfter;
        final Instant firstSeen;
        Instant lastSeen;
        long connections;
        int open;

        Entry(String clientId, String sha256, Instant notAfter, Instant firstSeen) {
            this.clientId = clientId;
            this.sha256 = sha256;
            this.notAfter = notAfter;
            this.firstSeen = firstSeen;
            this.lastSeen = firstSeen;
        }
    }
}
