package dev.vendorgate.gateway.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * What {@link AuditLog} finds in its folder when it opens: where the chain goes on (the next seq,
 * the hash of the last line, the file to append to) and, when the trail did not end cleanly, the
 * record that says so. Runs once, before the writer thread starts.
 */
final class AuditRecovery {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    /** Where the chain goes on, and the record to write first (null when the trail ended cleanly). */
    record Recovered(
            long seq,
            String head,
            long checkpointedSeq,
            String startProblem,
            FileChannel file,
            long fileBytes,
            int fileDay,
            RecoveryRecord record) {}

    private final AuditSettings settings;
    private final Clock clock;
    private final AuditSigner signer;
    private long seq;
    private String head = AuditLog.GENESIS;
    private FileChannel file;
    private long fileBytes;
    private int fileDay = -1;
    private long checkpointedSeq = -1;
    private long lastCheckpointFound = -1;
    private String startProblem;

    private AuditRecovery(AuditSettings settings, Clock clock, AuditSigner signer) {
        this.settings = settings;
        this.clock = clock;
        this.signer = signer;
    }

    static Recovered recover(AuditSettings settings, Clock clock, AuditSigner signer) throws IOException {
        return new AuditRecovery(settings, clock, signer).run();
    }

    private Recovered recovered(RecoveryRecord record) {
        return new Recovered(seq, head, checkpointedSeq, startProblem, file, fileBytes, fileDay, record);
    }

    /**
     * Continues from the last file, after checking the trail from its last signed checkpoint
     * (HEAD) to its end. A trail that does not verify so far is never signed over as if intact:
     * the gateway starts a new chain segment in a new file, whose first record names the break,
     * and says so loudly; records it finds after the last checkpoint are named too, so that the
     * checkpoints it signs next do not vouch for them. Returns that first record, or null when the
     * trail ended cleanly.
     */
    private Recovered run() throws IOException {
        List<Path> files = AuditFiles.list(settings.dir());
        if (files.isEmpty()) {
            return recovered(null);
        }
        Path last = files.get(files.size() - 1);
        byte[] tail = AuditVerifier.tail(last);
        int end = tail.length;
        String torn = null;
        if (end > 0 && tail[end - 1] != '\n') {
            int newline = lastIndexOf(tail, end - 1);
            long cut = tail.length - (newline + 1);
            try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - cut);
                channel.force(true);
            }
            torn = "removed " + cut + " bytes of a torn record at the end of " + last.getFileName()
                    + " (the gateway stopped while writing it)";
            LOG.warning(torn);
            end = newline + 1;
        }
        if (end > 0) {
            int start = lastIndexOf(tail, end - 2) + 1;
            byte[] line = java.util.Arrays.copyOfRange(tail, start, end - 1);
            head = HexFormat.of().formatHex(AuditLog.newDigest().digest(line));
            seq = AuditVerifier.seqOf(line) + 1;
        } else {
            seq = AuditFiles.firstSeq(last);
        }
        checkpointedSeq = seq - 1;
        String broken = check(files);
        long unsignedFrom = -1;
        if (broken != null) {
            startProblem = broken;
            // never reuse a sequence number the trail had, even when what is left of it is empty
            seq = Math.max(seq, AuditVerifier.headSeq(settings.dir()) + 1);
            Path headFile = settings.dir().resolve(AuditFiles.HEAD);
            if (Files.exists(headFile)) {
                Files.copy(
                        headFile,
                        settings.dir().resolve(AuditFiles.HEAD + ".before-break-" + seq),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.severe(() -> "THE AUDIT TRAIL IN " + settings.dir() + " DOES NOT VERIFY: " + broken + ". It is not "
                    + "signed over: a new chain segment starts at seq " + seq + " with a record naming the break; "
                    + "keep the files as they are for investigation");
            file = null; // the new segment starts in a file of its own
            fileDay = -1;
        } else {
            unsignedFrom = lastCheckpointFound + 1;
            if (unsignedFrom > seq - 1) {
                unsignedFrom = -1;
            } else {
                long from = unsignedFrom;
                LOG.warning(() -> "audit trail: records seq " + from + " to " + (seq - 1) + " were not signed when the "
                        + "gateway stopped; they are kept, and named as unsigned in the trail");
            }
            file = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            fileBytes = file.size();
            // the file's own day: a restart on a later day starts a new file, as if the gateway had run on
            Instant opened = AuditFiles.opened(last);
            fileDay = (opened == null ? clock.instant() : opened)
                    .atZone(ZoneOffset.UTC)
                    .getDayOfYear();
        }
        if (broken == null && unsignedFrom < 0 && torn == null) {
            return recovered(null);
        }
        return recovered(
                new RecoveryRecord(clock.instant(), broken, unsignedFrom, unsignedFrom < 0 ? -1 : seq - 1, torn));
    }

    /** Why the trail does not verify from the file of its last signed checkpoint to its end, or null. */
    private String check(List<Path> files) throws IOException {
        long headSeq = AuditVerifier.headSeq(settings.dir());
        int from = 0;
        for (int i = 0; i < files.size(); i++) {
            if (headSeq >= 0 && AuditFiles.firstSeq(files.get(i)) <= headSeq) {
                from = i;
            }
        }
        AuditVerifier.Scan scan = AuditVerifier.scan(files, from, signer.publicKey());
        lastCheckpointFound = scan.lastCheckpoint;
        if (scan.problem != null) {
            return scan.problem;
        }
        if (scan.expected != seq) {
            return "the trail ends at seq " + (scan.expected - 1) + " but its last record says " + (seq - 1);
        }
        return AuditVerifier.checkHead(settings.dir(), signer.publicKey(), scan.expected, scan.checkpointHashes);
    }

    private static int lastIndexOf(byte[] bytes, int from) {
        for (int i = from; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
