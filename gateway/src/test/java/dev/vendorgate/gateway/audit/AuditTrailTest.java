package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trail proves its own integrity: every kind of tampering is found, with where it is. */
class AuditTrailTest {

    @TempDir
    Path dir;

    private AuditLog open(long maxFileBytes) throws Exception {
        return AuditLog.open(new AuditSettings(dir, true, 1024, Duration.ofMillis(200), maxFileBytes), Clock.systemUTC());
    }

    private static AuditRecord record(int i, String vendor, long bytesOut) {
        return new AuditRecord(Instant.parse("2026-11-28T10:00:00Z").plusSeconds(i), "req-" + i, vendor,
                "spiffe://lab.example/vendor/" + vendor, "ab", null, "10.0.0." + (i % 3) + ":5000", "h1", "GET",
                "/datasets/file-" + (i % 4), "dataset-read", "data", "allow", null, 200, 0, bytesOut, 1500);
    }

    private void writeRecords(int count, long maxFileBytes) throws Exception {
        try (AuditLog log = open(maxFileBytes)) {
            for (int i = 0; i < count; i++) {
                log.record(record(i, i % 2 == 0 ? "acme" : "globex", 100));
            }
        }
    }

    private List<Path> files() throws Exception {
        return AuditFiles.list(dir);
    }

    @Test
    void anUntouchedTrailVerifies() throws Exception {
        writeRecords(200, 8 * 1024);

        AuditVerifier.Result result = AuditVerifier.verify(dir, AuditSigner.readPublicKey(dir.resolve(AuditSigner.PUBLIC_FILE)));

        assertThat(result.problem()).isNull();
        assertThat(result.files()).as("rotated by size").isGreaterThan(1);
        assertThat(result.records()).isGreaterThan(200);
        assertThat(result.checkpoints()).isPositive();
    }

    @Test
    void anEditedByteIsFound() throws Exception {
        writeRecords(50, 1 << 20);
        Path file = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(10, lines.get(10).replace("\"bytesOut\":100", "\"bytesOut\":900"));
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir, null);

        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).contains("line 12").contains("hash chain is broken");
    }

    @Test
    void aDeletedLineIsFound() throws Exception {
        writeRecords(50, 1 << 20);
        Path file = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(20);
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir, null);

        assertThat(result.problem()).contains("line 21").contains("records are missing");
    }

    @Test
    void swappedLinesAreFound() throws Exception {
        writeRecords(50, 1 << 20);
        Path file = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String five = lines.get(5);
        lines.set(5, lines.get(6));
        lines.set(6, five);
        Files.write(file, lines);

        assertThat(AuditVerifier.verify(dir, null).problem()).contains("line 6").contains("reordered");
    }

    @Test
    void aTruncatedTailIsFound() throws Exception {
        writeRecords(50, 1 << 20);
        Path file = files().get(0);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 40);
        }

        AuditVerifier.Result result = AuditVerifier.verify(dir, null);

        assertThat(result.problem()).contains("truncated record at the end of the file");
    }

    @Test
    void wholeLinesCutFromTheEndAreFoundThroughTheSignedHead() throws Exception {
        writeRecords(50, 1 << 20);
        Path file = files().get(0);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 3));

        assertThat(AuditVerifier.verify(dir, null).problem()).contains("the tail of the trail was cut");
    }

    @Test
    void aDeletedFileIsFound() throws Exception {
        for (int round = 0; round < 3; round++) {
            writeRecords(100, 8 * 1024); // each run starts a new file: the last one is over the size
        }
        assertThat(files()).hasSizeGreaterThanOrEqualTo(3);
        Files.delete(files().get(1));

        assertThat(AuditVerifier.verify(dir, null).problem()).contains("records are missing");
    }

    @Test
    void aForeignSigningKeyIsFound() throws Exception {
        writeRecords(20, 1 << 20);
        Path other = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-other"));
        AuditSigner.loadOrCreate(other);

        AuditVerifier.Result result = AuditVerifier.verify(dir, AuditSigner.readPublicKey(other.resolve(AuditSigner.PUBLIC_FILE)));

        assertThat(result.problem()).contains("signature does not verify");
    }

    @Test
    void theChainContinuesAcrossRestartsAndAfterATornWrite() throws Exception {
        writeRecords(10, 1 << 20);
        Path file = files().get(0);
        Files.writeString(file, "{\"seq\":999,\"prev\":\"ab", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        writeRecords(10, 1 << 20);

        AuditVerifier.Result result = AuditVerifier.verify(dir, null);
        assertThat(result.problem()).isNull();
        assertThat(Files.readString(file)).contains("\"action\":\"recover\"").contains("torn record");
    }

    @Test
    void reportTotalsMatchTheRecords() throws Exception {
        writeRecords(40, 1 << 20);

        AuditReport report = AuditReport.build(dir, "acme", null, null);

        assertThat(report.requests()).isEqualTo(20);
        assertThat(report.bytesOut()).isEqualTo(2000);
        assertThat(report.routes().get("dataset-read").objects()).hasSize(2);
        assertThat(report.addresses()).containsOnlyKeys("10.0.0.0", "10.0.0.1", "10.0.0.2");
        assertThat(report.first()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(AuditReport.build(dir, "acme", Instant.parse("2026-11-28T10:00:10Z"),
                Instant.parse("2026-11-28T10:00:20Z")).requests()).isEqualTo(5);
    }
}
