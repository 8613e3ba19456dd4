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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One audit file's share of an {@link Exposure}: files are scanned side by side and their
 * shares merged in chain order. The gateway writes every record as
 * {@code {"seq":N,"prev":"<64 hex>","type":"...","time":"...",...}}: seq, type and time are read
 * where they stand, and only the vendor's request records are parsed (Jackson streaming).
 */
final class ExposureScan {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final byte[] PREV = ascii(",\"prev\":\"");
    private static final byte[] TYPE = ascii("\",\"type\":\"");
    private static final byte[] REQUEST = ascii("request\",\"time\":\"");
    private static final byte[] CHECKPOINT = ascii("checkpoint\",\"time\":\"");
    private static final byte[] REQUEST_ID = ascii("\",\"requestId\":\"");

    final int trail;
    final String file;
    private final Path path;
    private final long limit;
    private final String vendor;
    private final byte[] needle;
    private final Instant from;
    private final Instant to;
    private final MessageDigest sha256;
    final Map<String, Exposure.Served> objects = new HashMap<>();
    final List<Exposure.Upload> uploads = new ArrayList<>();
    final Exposure.Positions positions = new Exposure.Positions();
    final List<Exposure.Head> heads = new ArrayList<>();
    long throughSeq = -1;
    long vendorRecords;
    long inWindow;
    long unreadable;
    Instant first;
    private boolean stop;

    ExposureScan(int trail, Path path, long limit, String vendor, Instant from, Instant to) {
        this.trail = trail;
        this.path = path;
        this.file = path.getFileName().toString();
        this.limit = limit;
        this.vendor = vendor;
        // the gateway writes "vendor":"<id>", followed by the client; ids need no escapes
        this.needle = (",\"vendor\":\"" + vendor + "\",").getBytes(StandardCharsets.UTF_8);
        this.from = from;
        this.to = to;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ExposureScan run() throws IOException {
        AuditLines.readBytes(path, this::line);
        return this;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void line(byte[] b, int start, int end) {
        if (stop) {
            return;
        }
        long seq = -1;
        int i = start + 7;
        if (end - start > 7 && b[start] == '{' && b[start + 1] == '"' && b[start + 2] == 's' && b[start + 6] == ':') {
            seq = 0;
            for (; i < end && i < start + 27 && b[i] >= '0' && b[i] <= '9'; i++) {
                seq = seq * 10 + (b[i] - '0');
            }
        }
        if (seq < 0 || i == start + 7 || !at(b, i, end, PREV) || !at(b, i + PREV.length + 64, end, TYPE)) {
            // not laid out as the gateway writes: read it the slow way if it may be the vendor's
            if (contains(b, start, end, needle)) {
                record(b, start, end, -1);
            } else {
                unreadable++;
            }
            return;
        }
        if (seq > limit) {
            stop = true; // what the manifest was built from ends here
            return;
        }
        throughSeq = seq;
        int type = i + PREV.length + 64 + TYPE.length;
        if (at(b, type, end, CHECKPOINT)) {
            heads.add(new Exposure.Head(seq, hash(b, start, end), quoted(b, type + CHECKPOINT.length, end)));
            return;
        }
        if (!at(b, type, end, REQUEST)) {
            return;
        }
        int time = type + REQUEST.length;
        int timeEnd = time;
        while (timeEnd < end && b[timeEnd] != '"') {
            timeEnd++;
        }
        if (first == null) {
            first = instant(new String(b, time, timeEnd - time, StandardCharsets.US_ASCII));
        }
        noteLast(b, time, timeEnd);
        if (vendors(b, timeEnd, end)) {
            record(b, start, end, seq);
        }
    }

    /** A record that may be the vendor's request: parsed, and taken if it is one in the window. */
    private void record(byte[] b, int start, int end, long knownSeq) {
        Fields f;
        try {
            f = Fields.parse(b, start, end - start);
        } catch (IOException | DateTimeParseException e) {
            unreadable++;
            return;
        }
        if (!vendor.equals(f.vendor) || !"request".equals(f.type) || (knownSeq < 0 && f.seq < 0)) {
            return;
        }
        long seq = knownSeq >= 0 ? knownSeq : f.seq;
        if (knownSeq < 0) {
            if (seq > limit) {
                return;
            }
            throughSeq = Math.max(throughSeq, seq);
        }
        vendorRecords++;
        if (from != null && f.time.isBefore(from) || to != null && !f.time.isBefore(to)) {
            return;
        }
        inWindow++;
        boolean served = ("GET".equals(f.method) || "HEAD".equals(f.method))
                && "allow".equals(f.decision)
                && f.status >= 200
                && f.status < 300
                && f.path != null;
        boolean upload = f.method != null && !SAFE.contains(f.method) && f.bytesIn > 0;
        if (!served && !upload) {
            return;
        }
        positions.add(seq, hash(b, start, end));
        if (served) {
            Exposure.Served s = objects.computeIfAbsent(f.path, p -> new Exposure.Served());
            s.add(
                    f.bytesOut,
                    f.reason != null,
                    f.probation,
                    f.time,
                    f.client,
                    f.certSha256,
                    Exposure.host(f.remote),
                    f.tokenId);
        } else {
            uploads.add(new Exposure.Upload(
                    f.time,
                    f.method,
                    f.path,
                    f.bytesIn,
                    f.status,
                    f.decision,
                    f.reason,
                    f.client,
                    f.certSha256,
                    Exposure.host(f.remote),
                    f.tokenId,
                    f.probation,
                    trail,
                    seq));
        }
    }

    private final byte[] lastTimeBytes = new byte[64];
    private int lastTimeLength;

    /** Keeps the time of the latest request record (copied: the buffer moves on). */
    private void noteLast(byte[] b, int time, int timeEnd) {
        lastTimeLength = Math.min(timeEnd - time, lastTimeBytes.length);
        System.arraycopy(b, time, lastTimeBytes, 0, lastTimeLength);
    }

    /** The time of the file's last request record, or null. */
    Instant last() {
        return lastTimeLength == 0
                ? null
                : instant(new String(lastTimeBytes, 0, lastTimeLength, StandardCharsets.US_ASCII));
    }

    private static boolean at(byte[] b, int i, int end, byte[] what) {
        return i >= 0 && i + what.length <= end && Arrays.equals(b, i, i + what.length, what, 0, what.length);
    }

    /**
     * Whether the record is the vendor's: its {@code "vendor"} field comes right after the
     * request id, where it is looked for first; anywhere in the next bytes otherwise.
     */
    private boolean vendors(byte[] b, int timeEnd, int end) {
        if (at(b, timeEnd, end, REQUEST_ID)) {
            int i = timeEnd + REQUEST_ID.length;
            while (i < end && b[i] != '"' && b[i] != '\\') {
                i++;
            }
            if (i < end && b[i] == '"') {
                return at(b, i + 1, end, needle);
            }
        }
        return contains(b, timeEnd, Math.min(end, timeEnd + 600 + needle.length), needle);
    }

    private static boolean contains(byte[] b, int from, int end, byte[] what) {
        byte head = what[0];
        for (int i = from; i + what.length <= end; i++) {
            if (b[i] == head && at(b, i, end, what)) {
                return true;
            }
        }
        return false;
    }

    /** The text up to the next quote (times and hashes the gateway writes have no escapes). */
    private static String quoted(byte[] b, int from, int end) {
        int i = from;
        while (i < end && b[i] != '"') {
            i++;
        }
        return new String(b, from, i - from, StandardCharsets.UTF_8);
    }

    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String hash(byte[] b, int start, int end) {
        sha256.update(b, start, end - start);
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The fields of one request record that the exposure needs. */
    private static final class Fields {
        long seq = -1;
        String type;
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

        static Fields parse(byte[] b, int offset, int length) throws IOException {
            Fields f = new Fields();
            try (JsonParser p = JSON.createParser(b, offset, length)) {
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
                        case "seq" -> f.seq = p.getValueAsLong(-1);
                        case "type" -> f.type = text;
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
                        default -> {}
                    }
                }
            }
            if (f.time == null) {
                throw new IOException("no time");
            }
            return f;
        }
    }
}
