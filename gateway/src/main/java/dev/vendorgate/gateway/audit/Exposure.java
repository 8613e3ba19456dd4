package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a vendor got and what it sent in a window, from the audit trails of one or more nodes:
 * every object served to it (canonical path, bytes, count, first and last time, who fetched it
 * with what) and every upload it made, with the chain position (file, seq, record hash) of each
 * record used and the checkpoints that sign them. One pass over the lines; only the vendor's
 * request records are parsed (Jackson streaming), the rest is skipped by a substring test, so
 * memory grows with what was exposed, not with the trail.
 *
 * <p>Served: a GET or HEAD the gateway allowed and answered 2xx (206 included), with the bytes it
 * actually sent, a transfer cut short included (marked partial: a part of an object is an exposure
 * too). Upload: any other method than GET, HEAD, OPTIONS and TRACE whose body the gateway received
 * at least one byte of, whatever the answer.
 */
public final class Exposure {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** One object served: totals and who fetched it. */
    public static final class Served {
        long bytes;
        long count;
        long partial;
        long onProbation;
        Instant first;
        Instant last;
        final Set<String> clients = new TreeSet<>();
        final Set<String> certificates = new TreeSet<>();
        final Set<String> addresses = new TreeSet<>();
        final Set<String> tokens = new TreeSet<>();
    }

    /** One upload the vendor made. */
    public record Upload(Instant time, String method, String path, long bytes, int status, String decision,
                         String reason, String client, String certSha256, String remote, String tokenId,
                         boolean probation, int trail, long seq) {}

    /** A checkpoint: its seq and the SHA-256 of its line ({@code audit verify --head SEQ:HASH}). */
    public record Head(long seq, String hash, String time) {}

    /** What was read of one folder. */
    public static final class Trail {
        final String dir;
        final List<String> files = new ArrayList<>();
        final Map<String, List<Object[]>> records = new TreeMap<>();
        long limit = Long.MAX_VALUE;
        long throughSeq = -1;
        Head covering;
        Head latest;
        long uncovered;

        Trail(String dir) {
            this.dir = dir;
        }
    }

    final String vendor;
    final Instant from;
    final Instant to;
    final Map<String, Served> objects = new TreeMap<>();
    final List<Upload> uploads = new ArrayList<>();
    final List<Trail> trails = new ArrayList<>();
    final Set<String> vendorsSeen = new TreeSet<>();
    long vendorRecords;
    long inWindow;
    long unreadable;
    Instant spanFirst;
    Instant spanLast;
    private final String needle;
    private final MessageDigest sha256;
    private Trail trail;
    private int trailIndex;
    private String currentFile;
    private boolean skipFile;
    private String fileLastRequest;

    private Exposure(String vendor, Instant from, Instant to) {
        this.vendor = vendor;
        this.from = from;
        this.to = to;
        this.needle = "\"vendor\":\"" + vendor + "\"";
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every record of {@code dirs} and collects {@code vendor}'s exposure in [from, to). */
    public static Exposure build(List<Path> dirs, String vendor, Instant from, Instant to) throws IOException {
        return build(dirs, vendor, from, to, null);
    }

    /**
     * As {@link #build(List, String, Instant, Instant)}, reading folder {@code i} only up to seq
     * {@code limits[i]} (what a manifest was built from); null reads everything.
     */
    static Exposure build(List<Path> dirs, String vendor, Instant from, Instant to, long[] limits) throws IOException {
        Exposure exposure = new Exposure(vendor, from, to);
        for (int i = 0; i < dirs.size(); i++) {
            Trail t = new Trail(dirs.get(i).toString());
            t.limit = limits == null ? Long.MAX_VALUE : limits[i];
            exposure.trails.add(t);
        }
        AuditLines.read(dirs, new AuditLines.Visitor() {
            @Override
            public void file(int index, Path dir, Path file) {
                exposure.endFile();
                exposure.trailIndex = index;
                exposure.trail = exposure.trails.get(index);
                exposure.currentFile = file.getFileName().toString();
                exposure.skipFile = AuditFiles.firstSeq(file) > exposure.trail.limit;
                if (!exposure.skipFile) {
                    exposure.trail.files.add(exposure.currentFile);
                }
            }

            @Override
            public void line(String line) {
                if (!exposure.skipFile) {
                    exposure.line(line);
                }
            }
        });
        exposure.endFile();
        return exposure;
    }

    private void line(String line) {
        long seq = seqOf(line);
        if (seq < 0) {
            unreadable++;
            return;
        }
        if (seq > trail.limit) {
            skipFile = true;
            return;
        }
        trail.throughSeq = seq;
        if (line.contains("\"type\":\"checkpoint\"")) {
            Head head = new Head(seq, hash(line), text(line, "\"time\":\""));
            trail.latest = head;
            if (trail.uncovered > 0) {
                trail.covering = head;
                trail.uncovered = 0;
            }
            return;
        }
        if (!line.contains("\"type\":\"request\"")) {
            return;
        }
        span(line);
        if (!line.contains(needle)) {
            return;
        }
        Fields f;
        try {
            f = Fields.parse(line);
        } catch (IOException | DateTimeParseException e) {
            unreadable++;
            return;
        }
        if (!vendor.equals(f.vendor)) {
            return;
        }
        vendorRecords++;
        if (from != null && f.time.isBefore(from) || to != null && !f.time.isBefore(to)) {
            return;
        }
        inWindow++;
        boolean served = ("GET".equals(f.method) || "HEAD".equals(f.method)) && "allow".equals(f.decision)
                && f.status >= 200 && f.status < 300 && f.path != null;
        boolean upload = f.method != null && !SAFE.contains(f.method) && f.bytesIn > 0;
        if (!served && !upload) {
            return;
        }
        trail.records.computeIfAbsent(currentFile, k -> new ArrayList<>()).add(new Object[] {seq, hash(line)});
        trail.uncovered++;
        if (served) {
            Served s = objects.computeIfAbsent(f.path, p -> new Served());
            s.bytes += f.bytesOut;
            s.count++;
            s.partial += f.reason != null ? 1 : 0;
            s.onProbation += f.probation ? 1 : 0;
            s.first = s.first == null || f.time.isBefore(s.first) ? f.time : s.first;
            s.last = s.last == null || f.time.isAfter(s.last) ? f.time : s.last;
            add(s.clients, f.client);
            add(s.certificates, f.certSha256);
            add(s.addresses, host(f.remote));
            add(s.tokens, f.tokenId);
        } else {
            uploads.add(new Upload(f.time, f.method, f.path, f.bytesIn, f.status, f.decision, f.reason, f.client,
                    f.certSha256, f.remote == null ? null : host(f.remote), f.tokenId, f.probation, trailIndex, seq));
        }
    }

    /** Notes the vendor of every request record and the time the files cover, for an answer about nothing. */
    private void span(String line) {
        if (fileLastRequest == null) {
            Instant first = time(line);
            spanFirst = first != null && (spanFirst == null || first.isBefore(spanFirst)) ? first : spanFirst;
        }
        fileLastRequest = line;
        if (vendorsSeen.size() < 1000) {
            String v = text(line, "\"vendor\":\"");
            if (v != null) {
                vendorsSeen.add(v);
            }
        }
    }

    private void endFile() {
        if (fileLastRequest != null) {
            Instant last = time(fileLastRequest);
            spanLast = last != null && (spanLast == null || last.isAfter(spanLast)) ? last : spanLast;
        }
        fileLastRequest = null;
    }

    private static Instant time(String line) {
        String text = text(line, "\"time\":\"");
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A string field written by the gateway (no escapes in ids, times and hashes). */
    private static String text(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            return null;
        }
        int end = line.indexOf('"', at + key.length());
        return end < 0 ? null : line.substring(at + key.length(), end);
    }

    private static void add(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    static String host(String remote) {
        if (remote == null) {
            return null;
        }
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }

    private String hash(String line) {
        return HexFormat.of().formatHex(sha256.digest(line.getBytes(StandardCharsets.UTF_8)));
    }

    /** The seq of a line, read from its start where the gateway writes it; -1 when it is not there. */
    static long seqOf(String line) {
        if (!line.startsWith("{\"seq\":")) {
            return -1;
        }
        long seq = 0;
        int i = 7;
        for (; i < line.length() && i < 27; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            seq = seq * 10 + (c - '0');
        }
        return i > 7 && i < line.length() && line.charAt(i) == ',' ? seq : -1;
    }

    /** The fields of one request record that the exposure needs. */
    private static final class Fields {
        Instant time;
        String vendor;
        String client;
        String certSha256;
        String tokenId;
        String remote;
        String method;
        String path;
        String decision;
        String reason;
        int status;
        long bytesIn;
        long bytesOut;
        boolean probation;

        static Fields parse(String line) throws IOException {
            Fields f = new Fields();
            try (JsonParser p = JSON.createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not an object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        p.skipChildren();
                        continue;
                    }
                    String text = value == JsonToken.VALUE_NULL ? null : p.getText();
                    switch (name) {
                        case "time" -> f.time = Instant.parse(text);
                        case "vendor" -> f.vendor = text;
                        case "client" -> f.client = text;
                        case "certSha256" -> f.certSha256 = text;
                        case "tokenId" -> f.tokenId = text;
                        case "remote" -> f.remote = text;
                        case "method" -> f.method = text;
                        case "path" -> f.path = text;
                        case "decision" -> f.decision = text;
                        case "reason" -> f.reason = text;
                        case "status" -> f.status = p.getValueAsInt();
                        case "bytesIn" -> f.bytesIn = p.getValueAsLong();
                        case "bytesOut" -> f.bytesOut = p.getValueAsLong();
                        case "probation" -> f.probation = p.getValueAsBoolean();
                        default -> { }
                    }
                }
            }
            if (f.time == null) {
                throw new IOException("no time");
            }
            return f;
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

    /** Every vendor with a request record anywhere in the trails read (up to 1000). */
    public Set<String> vendorsSeen() {
        return vendorsSeen;
    }

    /** The vendor's request records anywhere in the trails, and in the window. */
    public long vendorRecords() {
        return vendorRecords;
    }

    public long inWindow() {
        return inWindow;
    }

    public Instant spanFirst() {
        return spanFirst;
    }

    public Instant spanLast() {
        return spanLast;
    }

    /** Records used that no checkpoint signed when they were read. */
    public long unsigned() {
        return trails.stream().mapToLong(t -> t.uncovered).sum();
    }

    public int files() {
        return trails.stream().mapToInt(t -> t.files.size()).sum();
    }
}
