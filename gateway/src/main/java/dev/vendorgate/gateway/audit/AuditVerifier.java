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
import java.util.HexFormat;
import java.util.List;

/**
 * Checks an audit folder end to end: every line parses, sequence numbers run without gaps
 * across files, each line's {@code prev} is the hash of the line before, every checkpoint
 * signature verifies, and the trail reaches the head recorded in {@code HEAD}. Reports the first
 * problem with its file and line.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome: counts, and the first problem found (null when the trail is intact). */
    public record Result(long records, long checkpoints, int files, String problem, List<String> notes) {
        public boolean ok() {
            return problem == null;
        }
    }

    private AuditVerifier() {}

    /**
     * Verifies {@code dir}.
     *
     * @param publicKey the key checkpoints must be signed with; null to use the folder's own
     *     {@code audit-signing.pub} (weaker: whoever rewrote the folder could replace it)
     */
    public static Result verify(Path dir, PublicKey publicKey) throws IOException {
        List<Path> files = AuditFiles.list(dir);
        List<String> notes = new java.util.ArrayList<>();
        if (publicKey == null) {
            Path own = dir.resolve(AuditSigner.PUBLIC_FILE);
            if (!Files.exists(own)) {
                return new Result(0, 0, files.size(), "no public key: " + own + " is missing (pass --public-key)", notes);
            }
            publicKey = AuditSigner.readPublicKey(own);
            notes.add("checked against the folder's own public key; pass --public-key with a copy kept elsewhere "
                    + "for a stronger check");
        }
        MessageDigest sha256 = digest();
        String previous = AuditLog.GENESIS;
        long expected = 0;
        long records = 0;
        long checkpoints = 0;
        java.util.Map<Long, String> checkpointHashes = new java.util.HashMap<>();
        java.time.Instant newest = null;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            if (AuditFiles.firstSeq(file) != expected) {
                return new Result(records, checkpoints, files.size(), file.getFileName() + ": starts at seq "
                        + AuditFiles.firstSeq(file) + " but seq " + expected + " was expected: records are missing "
                        + "(a file was deleted or truncated)", notes);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                long lineNumber = 0;
                byte[] line;
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
                while ((line = readLine(in, buffer)) != null) {
                    lineNumber++;
                    String where = file.getFileName() + " line " + lineNumber;
                    if (line.length > 0 && line[line.length - 1] != '\n') {
                        return new Result(records, checkpoints, files.size(), where
                                + ": truncated record at the end of the file (the tail was cut)", notes);
                    }
                    byte[] content = java.util.Arrays.copyOf(line, line.length - 1);
                    JsonNode node;
                    try {
                        node = JSON.readTree(content);
                    } catch (IOException e) {
                        return new Result(records, checkpoints, files.size(), where + ": not a valid record "
                                + "(altered)", notes);
                    }
                    if (node == null || !node.path("seq").canConvertToLong() || !node.path("prev").isTextual()) {
                        return new Result(records, checkpoints, files.size(), where + ": not a valid record "
                                + "(altered)", notes);
                    }
                    long seq = node.path("seq").asLong();
                    if (seq != expected) {
                        return new Result(records, checkpoints, files.size(), where + ": seq " + seq + " where "
                                + expected + " was expected: records are missing or reordered", notes);
                    }
                    if (!node.path("prev").asText().equals(previous)) {
                        return new Result(records, checkpoints, files.size(), where + " (seq " + seq + "): the "
                                + "hash chain is broken: the record before it was altered or removed, or this one "
                                + "was moved", notes);
                    }
                    if ("checkpoint".equals(node.path("type").asText())) {
                        if (!AuditSigner.verify(publicKey, seq, previous, node.path("signature").asText())) {
                            return new Result(records, checkpoints, files.size(), where + " (seq " + seq + "): "
                                    + "checkpoint signature does not verify with the given public key", notes);
                        }
                        checkpoints++;
                    }
                    previous = HexFormat.of().formatHex(sha256.digest(content));
                    if (node.path("time").isTextual()) {
                        try {
                            newest = java.time.Instant.parse(node.path("time").asText());
                        } catch (java.time.format.DateTimeParseException e) {
                            // a record without a readable time still chains; its time is not needed here
                        }
                    }
                    if ("checkpoint".equals(node.path("type").asText())) {
                        checkpointHashes.put(seq, previous);
                    }
                    expected++;
                    records++;
                }
            }
        }
        String headProblem = checkHead(dir, publicKey, expected, checkpointHashes);
        if (headProblem != null) {
            return new Result(records, checkpoints, files.size(), headProblem, notes);
        }
        if (checkpoints == 0 && newest != null && newest.isBefore(java.time.Instant.now().minusSeconds(60))) {
            return new Result(records, checkpoints, files.size(), "the trail has no signed checkpoint although its "
                    + "records are over a minute old: it cannot be trusted (the gateway signs within seconds)", notes);
        }
        long lastCheckpoint = checkpointHashes.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        if (expected - 1 > lastCheckpoint) {
            notes.add((expected - 1 - lastCheckpoint) + " records after the last checkpoint are not signed yet "
                    + "(the gateway signs every few seconds and when it stops)");
        }
        return new Result(records, checkpoints, files.size(), null, notes);
    }

    private static String checkHead(Path dir, PublicKey key, long next, java.util.Map<Long, String> checkpoints)
            throws IOException {
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
        long seq = head.path("seq").asLong(-1);
        String hash = head.path("hash").asText("");
        if (!AuditSigner.verify(key, seq, hash, head.path("signature").asText(""))) {
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

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
