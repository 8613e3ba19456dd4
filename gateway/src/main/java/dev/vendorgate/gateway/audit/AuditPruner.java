package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes (or moves away) whole old audit files, as a retention policy must, without making the
 * rest unverifiable: before any file goes, a signed anchor ({@code ANCHOR}: the sequence number
 * where the kept trail starts and the chain hash it starts from) is written, so that
 * {@code audit verify} still proves the kept records complete and unaltered from there on, and
 * says from where. The file being written and the one holding the last checkpoint are never
 * removed.
 */
public final class AuditPruner {

    private static final java.util.logging.Logger RETENTION_LOG =
            java.util.logging.Logger.getLogger(AuditLog.class.getName());

    static final String ANCHOR = "ANCHOR";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a prune did. */
    public record Outcome(List<Path> removed, long keptFromSeq, Instant keptFrom) {}

    private AuditPruner() {}

    /**
     * {@link AuditLog#prune}: removes whole files older than {@code maxAge} and records that in the
     * trail; failures are logged and retried at the next call.
     */
    static void retain(AuditLog log, Path dir, AuditSigner signer, java.time.Clock clock, java.time.Duration maxAge) {
        try {
            AuditPruner.Outcome outcome = prune(dir, signer, clock.instant().minus(maxAge), null, clock.instant());
            if (!outcome.removed().isEmpty()) {
                RETENTION_LOG.info(
                        () -> "audit retention: removed " + outcome.removed().size() + " files older than " + maxAge
                                + "; the trail now starts at seq " + outcome.keptFromSeq());
                log.admin(new AdminRecord(
                        clock.instant(),
                        null,
                        "gateway",
                        null,
                        "audit-prune",
                        null,
                        "audit.maxAge " + maxAge,
                        "ok",
                        outcome.removed().size() + " files removed; the trail starts at seq " + outcome.keptFromSeq()
                                + " (" + outcome.keptFrom() + ")"));
            }
        } catch (IOException | RuntimeException e) {
            RETENTION_LOG.warning(() -> "audit retention: nothing removed: " + e.getMessage());
        }
    }

    /**
     * Removes the files of {@code dir} whose every record is older than {@code before}: those
     * followed by a file that starts before it. With {@code archive} they are moved there
     * instead (with the public key), to be kept elsewhere. The anchor left in place is dated
     * {@code now} (the gateway's clock, or the command's).
     */
    public static Outcome prune(Path dir, AuditSigner signer, Instant before, Path archive, Instant now)
            throws IOException {
        List<Path> files = AuditFiles.list(dir);
        List<Path> old = new ArrayList<>();
        long headSeq = AuditVerifier.headSeq(dir);
        for (int i = 0; i + 1 < files.size(); i++) {
            Path next = files.get(i + 1);
            if (!firstTime(next).isBefore(before) || AuditFiles.firstSeq(next) > headSeq) {
                break; // the next file still has records to keep, or holds no signed checkpoint yet
            }
            old.add(files.get(i));
        }
        if (old.isEmpty()) {
            return new Outcome(
                    List.of(),
                    files.isEmpty() ? 0 : AuditFiles.firstSeq(files.get(0)),
                    files.isEmpty() ? null : firstTime(files.get(0)));
        }
        // anchor only a trail that verifies: a signed anchor over a forged chain would vouch for the forgery
        AuditVerifier.Result intact =
                AuditVerifier.verifyWith(dir, new AuditVerifier.Options(signer.publicKey(), null, true, null));
        if (!intact.ok()) {
            throw new IOException("the trail does not verify, so nothing was pruned: " + intact.problem());
        }
        Path firstKept = files.get(old.size());
        JsonNode first = firstRecord(firstKept);
        long seq = first.path("seq").asLong();
        String prev = first.path("prev").asText();
        String previousAnchor = Files.exists(dir.resolve(ANCHOR))
                ? Files.readString(dir.resolve(ANCHOR)).strip()
                : null;
        String anchor = JSON.createObjectNode()
                        .put("seq", seq)
                        .put("prev", prev)
                        .put("time", now.toString())
                        .put("before", before.toString())
                        .put("keyId", signer.keyId())
                        .put("signature", signer.sign(seq, prev))
                        .put("removed", old.size())
                        .toString()
                + "\n";
        Path temporary = dir.resolve(ANCHOR + ".tmp");
        Files.writeString(temporary, anchor, StandardCharsets.US_ASCII);
        Files.move(temporary, dir.resolve(ANCHOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (archive != null) {
            Files.createDirectories(archive);
            if (previousAnchor != null && !Files.exists(archive.resolve(ANCHOR))) {
                Files.writeString(archive.resolve(ANCHOR), previousAnchor + "\n", StandardCharsets.US_ASCII);
            }
            Files.copy(
                    dir.resolve(AuditSigner.PUBLIC_FILE),
                    archive.resolve(AuditSigner.PUBLIC_FILE),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path file : old) {
            if (archive != null) {
                Files.move(file, archive.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(file);
            }
        }
        return new Outcome(List.copyOf(old), seq, firstTime(firstKept));
    }

    /** The signed anchor of {@code dir}: where its kept trail starts; null if nothing was pruned. */
    static Anchor anchor(Path dir, java.security.PublicKey key) throws IOException {
        Path file = dir.resolve(ANCHOR);
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return new Anchor(-1, null, null, false);
        }
        long seq = node == null ? -1 : node.path("seq").asLong(-1);
        String prev = node == null ? "" : node.path("prev").asText("");
        boolean valid = node != null
                && AuditSigner.verify(key, seq, prev, node.path("signature").asText(""));
        return new Anchor(seq, prev, node == null ? null : node.path("before").asText(null), valid);
    }

    /** Where a pruned trail starts, and whether its signature holds. */
    record Anchor(long seq, String prev, String before, boolean valid) {}

    private static JsonNode firstRecord(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException(file + " is empty");
            }
            return JSON.readTree(line);
        }
    }

    /** When a file was opened (its name says, to the second): every record before it is older. */
    private static Instant firstTime(Path file) throws IOException {
        Instant opened = AuditFiles.opened(file);
        if (opened == null) {
            throw new IOException(file + ": not an audit file name");
        }
        return opened;
    }
}
