package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks an audit folder end to end: every line parses, sequence numbers run without gaps
 * across files, each line's {@code prev} is the hash of the line before, every checkpoint
 * signature verifies, and the trail reaches the head recorded in {@code HEAD}. Records no
 * checkpoint covers, and breaks the gateway found at a restart, fail the check too: an
 * unsigned record is one anybody who can write the folder could have appended.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome: counts, and the first problem found (null when the trail is intact). */
    public record Result(
            long records,
            long checkpoints,
            int files,
            String problem,
            List<String> notes,
            long lastCheckpointSeq,
            long lastSeq,
            String lastHash) {
        public boolean ok() {
            return problem == null;
        }

        /** Records after the last checkpoint: no signature covers them. */
        public long unsigned() {
            return lastSeq - lastCheckpointSeq;
        }
    }

    /**
     * What to check against.
     *
     * @param publicKey the key checkpoints must be signed with; null to use the folder's own
     *     {@code audit-signing.pub} (weaker: whoever rewrote the folder could replace it)
     * @param keyFingerprint the key id (or the SHA-256 of the public key, hex) the signing key must
     *     have, when the public key is taken from the folder; null for none
     * @param allowUnsignedTail accept records after the last checkpoint (a live trail, or one the
     *     gateway left without a final checkpoint), naming them in a note
     * @param expectedHead a checkpoint seen outside this host ({@code SEQ:HASH}, as the admin API,
     *     the metrics or Redis published it) that the trail must contain; null for none
     */
    public record Options(PublicKey publicKey, String keyFingerprint, boolean allowUnsignedTail, String expectedHead) {
        public static Options strict(PublicKey publicKey) {
            return new Options(publicKey, null, false, null);
        }
    }

    private AuditVerifier() {}

    /** Verifies {@code dir} against {@code publicKey} (null: the folder's own), refusing an unsigned tail. */
    public static Result verify(Path dir, PublicKey publicKey) throws IOException {
        return verifyWith(dir, Options.strict(publicKey));
    }

    /** Verifies {@code dir} as of now by the system clock (an offline check, outside any gateway). */
    public static Result verifyWith(Path dir, Options options) throws IOException {
        return verifyWith(dir, options, Clock.systemUTC());
    }

    /** Verifies {@code dir}; records newer than a minute before {@code clock}'s now may still await a checkpoint. */
    public static Result verifyWith(Path dir, Options options, Clock clock) throws IOException {
        List<Path> files = AuditFiles.list(dir);
        List<String> notes = new ArrayList<>();
        PublicKey publicKey = options.publicKey();
        if (publicKey == null) {
            Path own = dir.resolve(AuditSigner.PUBLIC_FILE);
            if (!Files.exists(own)) {
                return fail(files.size(), "no public key: " + own + " is missing (pass --public-key)", notes);
            }
            publicKey = AuditSigner.readPublicKey(own);
            if (options.keyFingerprint() == null) {
                notes.add("checked against the key the trail itself names (" + AuditSigner.keyId(publicKey) + ", from "
                        + own.getFileName() + "): whoever rewrote the folder could have replaced it; pass --public-key "
                        + "with a copy kept elsewhere, or --key-fingerprint, for a check that means more");
            }
        }
        if (options.keyFingerprint() != null && !AuditSigner.matches(publicKey, options.keyFingerprint())) {
            return fail(
                    files.size(),
                    "the signing key is " + AuditSigner.keyId(publicKey) + ", not the pinned "
                            + options.keyFingerprint() + ": the trail was signed by someone else",
                    notes);
        }
        Scan scan;
        AuditPruner.Anchor anchor = AuditPruner.anchor(dir, publicKey);
        if (anchor != null && (files.isEmpty() || AuditFiles.firstSeq(files.get(0)) != 0)) {
            if (!anchor.valid()) {
                return fail(
                        files.size(),
                        "ANCHOR (where a pruned trail starts) does not verify with the given public " + "key (altered)",
                        notes);
            }
            if (files.isEmpty() || AuditFiles.firstSeq(files.get(0)) != anchor.seq()) {
                return fail(
                        files.size(),
                        "ANCHOR says the kept trail starts at seq " + anchor.seq() + " but "
                                + (files.isEmpty()
                                        ? "there are no files"
                                        : "the first file starts at seq " + AuditFiles.firstSeq(files.get(0)))
                                + ": records are missing",
                        notes);
            }
            notes.add("records before seq " + anchor.seq() + " were pruned (older than " + anchor.before()
                    + "); the trail is checked from there on, against the signed anchor");
            scan = scan(files, 0, publicKey, anchor.seq(), anchor.prev());
        } else {
            scan = scan(files, 0, publicKey);
        }
        Result result = scan.result(files.size(), notes);
        if (scan.problem != null) {
            return result;
        }
        String headProblem = checkHead(dir, publicKey, scan.expected, scan.checkpointHashes);
        if (headProblem != null) {
            return with(result, headProblem);
        }
        if (options.expectedHead() != null) {
            String outside = checkOutsideHead(options.expectedHead(), scan.checkpointHashes);
            if (outside != null) {
                return with(result, outside);
            }
        }
        if (scan.checkpoints == 0
                && scan.newest != null
                && scan.newest.isBefore(clock.instant().minusSeconds(60))) {
            return with(
                    result,
                    "the trail has no signed checkpoint although its records are over a minute old: it "
                            + "cannot be trusted (the gateway signs within seconds)");
        }
        if (!scan.breaks.isEmpty()) {
            return with(result, scan.breaks.get(0));
        }
        List<String> unsigned = new ArrayList<>(scan.unsignedAtRestart);
        if (result.unsigned() > 0) {
            unsigned.add(result.unsigned() + " records after the last checkpoint (seq "
                    + (result.lastCheckpointSeq() + 1)
                    + " to " + result.lastSeq() + ") are not signed: anyone who can write the folder could have "
                    + "appended them");
        }
        if (!unsigned.isEmpty()) {
            if (!options.allowUnsignedTail()) {
                return with(
                        result,
                        String.join("; ", unsigned) + " (a running gateway signs every few seconds and "
                                + "when it stops: verify again shortly, or pass --allow-unsigned-tail to accept them as unproven)");
            }
            unsigned.forEach(n -> notes.add("accepted as unproven: " + n));
        }
        return result;
    }

    /** The chain from file {@code from} on; for a later file, the first line's {@code prev} is taken on trust. */
    static Scan scan(List<Path> files, int from, PublicKey publicKey) throws IOException {
        return scan(
                files, from, publicKey, from == 0 || files.isEmpty() ? 0 : AuditFiles.firstSeq(files.get(from)), null);
    }

    /** The chain from file {@code from} on, starting at {@code startSeq} from {@code startPrev} (null: on trust). */
    static Scan scan(List<Path> files, int from, PublicKey publicKey, long startSeq, String startPrev)
            throws IOException {
        Scan scan = new Scan();
        MessageDigest sha256 = digest();
        scan.expected = startSeq;
        scan.previous = startPrev;
        for (int f = from; f < files.size() && scan.problem == null; f++) {
            Path file = files.get(f);
            if (AuditFiles.firstSeq(file) != scan.expected) {
                String found = breakRecordedIn(file);
                scan.problem = found != null
                        ? found
                        : file.getFileName() + ": starts at seq " + AuditFiles.firstSeq(file)
                                + " but seq " + scan.expected
                                + " was expected: records are missing (a file was deleted or "
                                + "truncated)";
                break;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                long lineNumber = 0;
                byte[] line;
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
                while ((line = readLine(in, buffer)) != null) {
                    lineNumber++;
                    String where = file.getFileName() + " line " + lineNumber;
                    if (line.length > 0 && line[line.length - 1] != '\n') {
                        scan.problem = where + ": truncated record at the end of the file (the tail was cut)";
                        break;
                    }
                    byte[] content = java.util.Arrays.copyOf(line, line.length - 1);
                    JsonNode node;
                    try {
                        node = JSON.readTree(content);
                    } catch (IOException e) {
                        node = null;
                    }
                    if (node == null
                            || !node.path("seq").canConvertToLong()
                            || !node.path("prev").isTextual()) {
                        scan.problem = where + ": not a valid record (altered)";
                        break;
                    }
                    long seq = node.path("seq").asLong();
                    if (seq != scan.expected) {
                        scan.problem = where + ": seq " + seq + " where " + scan.expected + " was expected: records "
                                + "are missing or reordered";
                        break;
                    }
                    if (scan.previous == null) {
                        scan.previous =
                                seq == 0 ? AuditLog.GENESIS : node.path("prev").asText();
                    }
                    if (!node.path("prev").asText().equals(scan.previous)) {
                        scan.problem = where + " (seq " + seq + "): the hash chain is broken: the record before it was "
                                + "altered or removed, or this one was moved";
                        break;
                    }
                    String type = node.path("type").asText();
                    if ("checkpoint".equals(type)) {
                        if (!AuditSigner.verify(
                                publicKey,
                                seq,
                                scan.previous,
                                node.path("signature").asText())) {
                            scan.problem = where + " (seq " + seq + "): checkpoint signature does not verify with the "
                                    + "given public key";
                            break;
                        }
                        scan.checkpoints++;
                    } else if ("recovery".equals(type)) {
                        scan.recovery(node);
                    }
                    scan.previous = HexFormat.of().formatHex(sha256.digest(content));
                    if (node.path("time").isTextual()) {
                        try {
                            scan.newest = Instant.parse(node.path("time").asText());
                        } catch (DateTimeParseException e) {
                            // a record without a readable time still chains; its time is not needed here
                        }
                    }
                    if ("checkpoint".equals(type)) {
                        scan.checkpointHashes.put(seq, scan.previous);
                        scan.lastCheckpoint = seq;
                    }
                    scan.expected++;
                    scan.records++;
                }
            }
        }
        return scan;
    }

    /**
     * The break a gateway recorded at the start of a new chain segment, if {@code file} begins
     * with one: the honest account of why the chain does not continue into it.
     */
    private static String breakRecordedIn(Path file) throws IOException {
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            JsonNode first = line == null ? null : JSON.readTree(line);
            if (first != null
                    && "recovery".equals(first.path("type").asText())
                    && first.path("break").isTextual()) {
                return "at " + first.path("time").asText() + " the gateway found this trail broken and started a new "
                        + "chain segment at seq " + first.path("seq").asLong() + ": "
                        + first.path("break").asText();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** What a pass over the chain found. */
    static final class Scan {
        long expected;
        long records;
        long checkpoints;
        long lastCheckpoint = -1;
        String previous;
        String problem;
        Instant newest;
        final Map<Long, String> checkpointHashes = new HashMap<>();
        final List<String> breaks = new ArrayList<>();
        final List<String> unsignedAtRestart = new ArrayList<>();

        private void recovery(JsonNode node) {
            String time = node.path("time").asText();
            if (node.path("break").isTextual()) {
                breaks.add("at " + time + " the gateway found this trail broken and started a new chain segment at seq "
                        + node.path("seq").asLong() + ": " + node.path("break").asText());
            }
            if (node.path("unsignedFrom").canConvertToLong()) {
                unsignedAtRestart.add("records seq " + node.path("unsignedFrom").asLong() + " to "
                        + node.path("unsignedTo").asLong() + " were not signed when the gateway stopped (found at its "
                        + "start at " + time + "); the checkpoints after them do not vouch for them");
            }
        }

        Result result(int files, List<String> notes) {
            return new Result(records, checkpoints, files, problem, notes, lastCheckpoint, expected - 1, previous);
        }
    }

    private static Result fail(int files, String problem, List<String> notes) {
        return new Result(0, 0, files, problem, notes, -1, -1, null);
    }

    private static Result with(Result result, String problem) {
        return new Result(
                result.records(),
                result.checkpoints(),
                result.files(),
                problem,
                result.notes(),
                result.lastCheckpointSeq(),
                result.lastSeq(),
                result.lastHash());
    }

    static String checkHead(Path dir, PublicKey key, long next, Map<Long, String> checkpoints) throws IOException {
        Path headFile = dir.resolve(AuditFiles.HEAD);
        if (!Files.exists(headFile)) {
            // a trail younger than its first checkpoint has no HEAD yet; one with checkpoints must have it
            return checkpoints.isEmpty() ? null : "HEAD is missing: cannot tell whether the tail of the trail was cut";
        }
        JsonNode head;
        try {
            head = JSON.readTree(Files.readAllBytes(headFile));
        } catch (IOException e) {
            return "HEAD is not valid JSON (altered)";
        }
        long seq = head == null ? -1 : head.path("seq").asLong(-1);
        String hash = head == null ? "" : head.path("hash").asText("");
        if (head == null
                || !AuditSigner.verify(key, seq, hash, head.path("signature").asText(""))) {
            return "HEAD signature does not verify with the given public key (altered)";
        }
        if (seq >= next) {
            return "the trail ends at seq " + (next - 1) + " but HEAD records a checkpoint at seq " + seq
                    + ": the tail of the trail was cut";
        }
        if (!hash.equals(checkpoints.get(seq))) {
            return "HEAD names checkpoint seq " + seq + " which is not in the trail as recorded (altered)";
        }
        return null;
    }

    private static String checkOutsideHead(String expected, Map<Long, String> checkpoints) {
        String[] parts = expected.split(":", 2);
        long seq;
        try {
            seq = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return "--head must be SEQ:HASH (as the admin API's status shows under audit.head), not '" + expected + "'";
        }
        String hash = parts.length == 2 ? parts[1] : "";
        if (!hash.equalsIgnoreCase(checkpoints.getOrDefault(seq, ""))) {
            return "the checkpoint seen outside this host (seq " + seq + ") is not in the trail as recorded: the trail "
                    + "was cut or rewritten after it was published";
        }
        return null;
    }

    /** Reads one line including its newline, or what is left at the end; null at end of stream. */
    private static byte[] readLine(InputStream in, ByteArrayOutputStream buffer) throws IOException {
        buffer.reset();
        int b;
        while ((b = in.read()) >= 0) {
            buffer.write(b);
            if (b == '\n') {
                break;
            }
        }
        return buffer.size() == 0 ? null : buffer.toByteArray();
    }

    /** The last 128 KiB of a file (enough for its last record). */
    static byte[] tail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            int size = (int) Math.min(length, 128 * 1024);
            byte[] bytes = new byte[size];
            raf.seek(length - size);
            raf.readFully(bytes);
            return bytes;
        }
    }

    /** The seq of one record line. */
    static long seqOf(byte[] line) throws IOException {
        JsonNode node = JSON.readTree(new String(line, StandardCharsets.UTF_8));
        if (node == null || !node.path("seq").canConvertToLong()) {
            throw new IOException("the last audit record is not readable");
        }
        return node.path("seq").asLong();
    }

    /** The HEAD file's checkpoint seq, or -1 when there is none that can be read. */
    static long headSeq(Path dir) {
        try {
            JsonNode head = JSON.readTree(Files.readAllBytes(dir.resolve(AuditFiles.HEAD)));
            return head == null ? -1 : head.path("seq").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
