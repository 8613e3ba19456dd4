package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
    int files;
    final Set<String> vendorsSeen = new java.util.TreeSet<>();
    Instant spanFirst;
    Instant spanLast;
    final Map<String, Long> deniedPaths = new HashMap<>();
    long deniedPathsDropped;
    long whileSuspended;
    long onProbation;
    final TreeMap<Instant, long[]> timeline = new TreeMap<>();
    final Map<String, Use> tokenUse = new TreeMap<>();
    final Map<String, Use> clientUse = new TreeMap<>();
    final Map<String, Use> addressUse = new TreeMap<>();
    final Map<String, Use> certificateUse = new TreeMap<>();
    final List<AdminAction> actions = new java.util.ArrayList<>();
    private static final int MAX_DISTINCT = 100_000;

    /** When something (a token, a client, an address, a certificate) was first and last used, and how often. */
    public static final class Use {
        Instant first;
        Instant last;
        long requests;

        public Instant first() {
            return first;
        }

        public Instant last() {
            return last;
        }

        public long requests() {
            return requests;
        }
    }

    /** An admin action about the vendor, for the timeline beside its traffic. */
    public record AdminAction(
            Instant time, String operator, String action, String target, String reason, String outcome) {}

    private static void use(Map<String, Use> uses, String key, Instant time, long n) {
        if (uses.size() >= MAX_DISTINCT && !uses.containsKey(key)) {
            return;
        }
        Use use = uses.computeIfAbsent(key, k -> new Use());
        use.first = use.first == null || time.isBefore(use.first) ? time : use.first;
        use.last = use.last == null || time.isAfter(use.last) ? time : use.last;
        use.requests += n;
    }

    private long sinceCheckpoint;
    private long unsignedAtRestart;

    private AuditReport(String vendor, Instant from, Instant to) {
        this.vendor = vendor;
        this.from = from;
        this.to = to;
    }

    /** Reads every audit file of {@code dir} and aggregates the requests of {@code vendor} in [from, to). */
    public static AuditReport build(Path dir, String vendor, Instant from, Instant to) throws IOException {
        return build(List.of(dir), vendor, from, to);
    }

    /**
     * Reads the audit files of every folder in {@code dirs} (a fleet: one folder per node) and
     * aggregates the requests and the admin actions about {@code vendor} in [from, to).
     */
    public static AuditReport build(List<Path> dirs, String vendor, Instant from, Instant to) throws IOException {
        AuditReport report = new AuditReport(vendor, from, to);
        AuditLines.read(dirs, new AuditLines.Visitor() {
            @Override
            public void file(int trail, Path dir, Path file) {
                report.files++;
                report.sinceCheckpoint = 0;
            }

            @Override
            public void line(String line) {
                report.signatures(line);
                report.seen(line);
                report.add(line);
                report.admin(line);
            }
        });
        return report;
    }

    /** Notes the vendor and time of every request record, so that a report on nothing can say what there is. */
    private void seen(String line) {
        if (!line.contains("\"type\":\"request\"") && !line.contains("\"type\":\"refusals\"")) {
            return;
        }
        int at = line.indexOf("\"vendor\":\"");
        if (at >= 0) {
            int end = line.indexOf('"', at + 10);
            if (end > at + 10 && vendorsSeen.size() < 10_000) {
                vendorsSeen.add(line.substring(at + 10, end));
            }
        }
        int time = line.indexOf("\"time\":\"");
        if (time >= 0) {
            int end = line.indexOf('"', time + 8);
            try {
                Instant t = Instant.parse(line.substring(time + 8, end));
                spanFirst = spanFirst == null || t.isBefore(spanFirst) ? t : spanFirst;
                spanLast = spanLast == null || t.isAfter(spanLast) ? t : spanLast;
            } catch (DateTimeParseException | IndexOutOfBoundsException e) {
                // counted as unreadable when it is this vendor's
            }
        }
    }

    /** An admin action about this vendor (or every vendor): its suspensions, resumptions, revocations, reloads. */
    private void admin(String line) {
        if (!line.contains("\"type\":\"admin\"") || !line.contains(vendor)) {
            return;
        }
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return;
        }
        String target = record.path("target").asText("");
        String kind = record.path("targetKind").asText("");
        String action = record.path("action").asText("");
        boolean about = target.equals(vendor) && !kind.equals("token") && !kind.equals("client")
                || target.equals("*")
                || kind.equals("client") && target.contains("/vendor/" + vendor + "/")
                || action.equals("policy-reload")
                        && record.path("detail").asText("").contains("vendor " + vendor + " ");
        if (!about) {
            return;
        }
        Instant time;
        try {
            time = Instant.parse(record.path("time").asText());
        } catch (DateTimeParseException e) {
            return;
        }
        if (from != null && time.isBefore(from) || to != null && !time.isBefore(to)) {
            return;
        }
        actions.add(new AdminAction(
                time,
                record.path("operator").asText(""),
                action,
                target,
                record.path("reason").asText(null),
                record.path("outcome").asText("")));
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
        boolean summary = line.contains("\"type\":\"refusals\"");
        if (!summary && !line.contains("\"type\":\"request\"") || !line.contains("\"vendor\":\"" + vendor + "\"")) {
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
        // a refusals record stands for `count` refusals like the one written before it, in its second
        long n = summary ? Math.max(1, record.path("count").asLong(1)) : 1;
        if (summary && record.path("last").isTextual()) {
            try {
                time = Instant.parse(record.path("last").asText());
            } catch (DateTimeParseException e) {
                // the record's own time will do
            }
        }
        if (from != null && time.isBefore(from) || to != null && !time.isBefore(to)) {
            return;
        }
        requests += n;
        sinceCheckpoint += n;
        if (record.path("probation").asBoolean(false)) {
            onProbation += n;
        }
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
        long in = record.path("bytesIn").asLong();
        long out = record.path("bytesOut").asLong();
        bytesIn += in;
        bytesOut += out;
        int status = record.path("status").asInt();
        statuses.merge(status == 0 ? "none" : (status / 100) + "xx", n, Long::sum);
        String route = record.path("route").isTextual() ? record.path("route").asText() : "(no route)";
        RouteUsage usage = routes.computeIfAbsent(route, r -> new RouteUsage());
        usage.requests += n;
        usage.bytesIn += in;
        usage.bytesOut += out;
        boolean allow = "allow".equals(record.path("decision").asText());
        if (allow) {
            allowed++;
            usage.allowed++;
            if (status >= 200 && status < 300 && record.path("path").isTextual()) {
                long[] object =
                        usage.objects.computeIfAbsent(record.path("path").asText(), p -> new long[2]);
                object[0]++;
                object[1] += out;
            }
        } else {
            denied += n;
        }
        if (record.path("reason").isTextual()) {
            denials.merge(record.path("reason").asText(), n, Long::sum);
        }
        if (!allow) {
            String target =
                    record.path("path").isTextual() ? record.path("path").asText() : "(unparsed request)";
            if (summary) {
                // only samples of the paths are kept: name them as such
                target = record.path("samplePaths").size() == 0
                        ? "(paths not kept)"
                        : "(" + n + " like) "
                                + String.join(
                                        " ",
                                        record.path("samplePaths")
                                                .valueStream()
                                                .map(JsonNode::asText)
                                                .toList());
            }
            if (deniedPaths.size() < MAX_DISTINCT || deniedPaths.containsKey(target)) {
                deniedPaths.merge(target, n, Long::sum);
            } else {
                deniedPathsDropped += n;
            }
            if ("vendor-suspended".equals(record.path("reason").asText())) {
                whileSuspended += n;
            }
        }
        timeline.computeIfAbsent(time.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), t -> new long[4]);
        long[] minute = timeline.get(time.truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
        minute[0] += n;
        minute[1] += allow ? 0 : n;
        minute[2] += out;
        minute[3] += in;
        if (record.path("client").isTextual()) {
            clients.merge(record.path("client").asText(), n, Long::sum);
            use(clientUse, record.path("client").asText(), time, n);
        }
        if (record.path("remote").isTextual()) {
            addresses.merge(host(record.path("remote").asText()), n, Long::sum);
            use(addressUse, host(record.path("remote").asText()), time, n);
        }
        if (record.path("certSha256").isTextual()) {
            use(certificateUse, record.path("certSha256").asText(), time, n);
        }
        if (record.path("tokenId").isTextual()) {
            tokens.add(record.path("tokenId").asText());
            use(tokenUse, record.path("tokenId").asText(), time, n);
        }
    }

    private static String host(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
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
            return java.time.LocalDate.parse(text)
                    .atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant();
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

    /** Audit files read. */
    public int files() {
        return files;
    }

    /** Every vendor with a request record anywhere in the trail, whatever the window. */
    public Set<String> vendorsSeen() {
        return vendorsSeen;
    }

    /** The first and last request record of the whole trail (null when there is none). */
    public Instant spanFirst() {
        return spanFirst;
    }

    public Instant spanLast() {
        return spanLast;
    }

    /** Refused or failed requests by canonical path (what an attacker probed). */
    public Map<String, Long> deniedPaths() {
        return deniedPaths;
    }

    /** Requests made while the vendor was suspended. */
    public long whileSuspended() {
        return whileSuspended;
    }

    /** Requests made while the vendor was on probation after a breach (marked so in their records). */
    public long onProbation() {
        return onProbation;
    }

    /** Per minute: requests, denied, bytes out, bytes in. */
    public TreeMap<Instant, long[]> timeline() {
        return timeline;
    }

    public Map<String, Use> tokenUse() {
        return tokenUse;
    }

    public Map<String, Use> clientUse() {
        return clientUse;
    }

    public Map<String, Use> addressUse() {
        return addressUse;
    }

    public Map<String, Use> certificateUse() {
        return certificateUse;
    }

    /** Admin actions about the vendor in the window, in trail order. */
    public List<AdminAction> actions() {
        return actions;
    }

    /** Lines that could not be read as records (reported, so a damaged trail is not silently partial). */
    public long unreadable() {
        return unreadable;
    }
}
