package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers "what did this vendor access, and when?" from the audit trail: requests and bytes per
 * route, the distinct objects (canonical paths) reached, refusals by reason, clients, tokens and
 * source addresses, first and last access. Streams the files line by line, so millions of
 * records take memory only for what is distinct.
 */
public final class AuditReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Totals for one route (or for a refusal without a route). */
    public static final class RouteUsage {
        long requests;
        long allowed;
        long bytesIn;
        long bytesOut;
        final Map<String, long[]> objects = new HashMap<>();

        public long requests() {
            return requests;
        }

        public long allowed() {
            return allowed;
        }

        public long bytesIn() {
            return bytesIn;
        }

        public long bytesOut() {
            return bytesOut;
        }

        /** Distinct paths reached with a success (2xx), with their request count and bytes sent. */
        public Map<String, long[]> objects() {
            return objects;
        }
    }

    private final String vendor;
    private final Instant from;
    private final Instant to;
    long requests;
    long allowed;
    long denied;
    long bytesIn;
    long bytesOut;
    Instant first;
    Instant last;
    final Map<String, RouteUsage> routes = new TreeMap<>();
    final Map<String, Long> denials = new TreeMap<>();
    final Map<String, Long> clients = new TreeMap<>();
    final Map<String, Long> addresses = new TreeMap<>();
    final Set<String> tokens = new HashSet<>();
    final Map<String, Long> statuses = new TreeMap<>();
    long unreadable;
    private long sinceCheckpoint;
    private long unsignedAtRestart;

    private AuditReport(String vendor, Instant from, Instant to) {
        this.vendor = vendor;
        this.from = from;
        this.to = to;
    }

    /** Reads every audit file of {@code dir} and aggregates the requests of {@code vendor} in [from, to). */
    public static AuditReport build(Path dir, String vendor, Instant from, Instant to) throws IOException {
        AuditReport report = new AuditReport(vendor, from, to);
        for (Path file : AuditFiles.list(dir)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    report.signatures(line);
                    report.add(line);
                }
            }
        }
        return report;
    }

    /**
     * Keeps count of this vendor's records no checkpoint vouches for: those after the last
     * checkpoint, and those a restart found unsigned (named by the recovery record before the
     * next checkpoint).
     */
    private void signatures(String line) {
        if (line.contains("\"type\":\"checkpoint\"")) {
            sinceCheckpoint = 0;
        } else if (line.contains("\"type\":\"recovery\"") && line.contains("\"unsignedFrom\"")) {
            unsignedAtRestart += sinceCheckpoint;
            sinceCheckpoint = 0;
        }
    }

    private void add(String line) {
        if (!line.contains("\"type\":\"request\"") || !line.contains("\"vendor\":\"" + vendor + "\"")) {
            return; // cheap filter before parsing
        }
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            unreadable++;
            return;
        }
        if (!vendor.equals(record.path("vendor").asText(null))) {
            return;
        }
        Instant time;
        try {
            time = Instant.parse(record.path("time").asText());
        } catch (DateTimeParseException e) {
            unreadable++;
            return;
        }
        if (from != null && time.isBefore(from) || to != null && !time.isBefore(to)) {
            return;
        }
        requests++;
        sinceCheckpoint++;
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
        long in = record.path("bytesIn").asLong();
        long out = record.path("bytesOut").asLong();
        bytesIn += in;
        bytesOut += out;
        int status = record.path("status").asInt();
        statuses.merge(status == 0 ? "none" : (status / 100) + "xx", 1L, Long::sum);
        String route = record.path("route").isTextual() ? record.path("route").asText() : "(no route)";
        RouteUsage usage = routes.computeIfAbsent(route, r -> new RouteUsage());
        usage.requests++;
        usage.bytesIn += in;
        usage.bytesOut += out;
        boolean allow = "allow".equals(record.path("decision").asText());
        if (allow) {
            allowed++;
            usage.allowed++;
            if (status >= 200 && status < 300 && record.path("path").isTextual()) {
                long[] object = usage.objects.computeIfAbsent(record.path("path").asText(), p -> new long[2]);
                object[0]++;
                object[1] += out;
            }
        } else {
            denied++;
        }
        if (record.path("reason").isTextual()) {
            denials.merge(record.path("reason").asText(), 1L, Long::sum);
        }
        if (record.path("client").isTextual()) {
            clients.merge(record.path("client").asText(), 1L, Long::sum);
        }
        if (record.path("remote").isTextual()) {
            addresses.merge(host(record.path("remote").asText()), 1L, Long::sum);
        }
        if (record.path("tokenId").isTextual()) {
            tokens.add(record.path("tokenId").asText());
        }
    }

    private static String host(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }

    /** Parses a report bound: an ISO-8601 time, a date ({@code 2026-11-28}, midnight UTC) or null. */
    public static Instant parseTime(String text) {
        return parseTime(text, Instant.now());
    }

    /**
     * Parses a time: an ISO-8601 time, a date ({@code 2026-11-28}, midnight UTC), a duration
     * before {@code now} ({@code 1h}, {@code 2d}: "the last hour") or null.
     *
     * @throws DateTimeParseException when it is none of these
     */
    public static Instant parseTime(String text, Instant now) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            if (text.matches("\\d+(ms|s|m|h|d)")) {
                try {
                    return now.minus(dev.vendorgate.policy.Units.parseDuration(text));
                } catch (IllegalArgumentException | java.time.DateTimeException tooFar) {
                    throw new DateTimeParseException("too far back", text, 0);
                }
            }
            return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
    }

    public String vendor() {
        return vendor;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public long requests() {
        return requests;
    }

    public long allowed() {
        return allowed;
    }

    public long denied() {
        return denied;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public Instant first() {
        return first;
    }

    public Instant last() {
        return last;
    }

    public Map<String, RouteUsage> routes() {
        return routes;
    }

    public Map<String, Long> denials() {
        return denials;
    }

    public Map<String, Long> clients() {
        return clients;
    }

    public Map<String, Long> addresses() {
        return addresses;
    }

    public Set<String> tokens() {
        return tokens;
    }

    public Map<String, Long> statuses() {
        return statuses;
    }

    /**
     * Records counted here that no signed checkpoint vouches for (after the last checkpoint, or
     * found unsigned at a restart): anyone who could write the folder could have added them.
     */
    public long unsigned() {
        return unsignedAtRestart + sinceCheckpoint;
    }

    /** Lines that could not be read as records (reported, so a damaged trail is not silently partial). */
    public long unreadable() {
        return unreadable;
    }
}
