package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @TempDir
    Path keys;

    private AuditLog open(long maxFileBytes) throws Exception {
        return AuditLog.open(
                new AuditSettings(
                        dir, true, 1024, Duration.ofMillis(200), maxFileBytes, keys.resolve("audit-signing.key")),
                Clock.systemUTC());
    }

    private static AuditRecord record(int i, String vendor, long bytesOut) {
        return new AuditRecord(
                Instant.parse("2026-11-28T10:00:00Z").plusSeconds(i),
                "req-" + i,
                vendor,
                "spiffe://lab.example/vendor/" + vendor,
                "ab",
                null,
                "10.0.0." + (i % 3) + ":5000",
                "h1",
                "GET",
                "/datasets/file-" + (i % 4),
                "dataset-read",
                "data",
                "allow",
                null,
                200,
                0,
                bytesOut,
                1500);
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
    void aTrailWhoseCheckpointFailedIsHealthyAgainOnceItCanSignWithNoNewRecordNeeded() throws Exception {
        Path blocker = dir.resolve(AuditFiles.HEAD + ".tmp");
        try (AuditLog log = open(1 << 20)) {
            log.record(record(0, "acme", 100));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.head() != null);
            // the HEAD file cannot be written (a folder stands where it is written aside): checkpoints fail
            Files.createDirectory(blocker);
            log.record(record(1, "acme", 100));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !log.healthy());

            // the disk is fine again and nothing else happens: an idle gateway must not stay unhealthy (with
            // failClosed, refusing every vendor) until some record comes along to be written
            Files.delete(blocker);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(log::healthy);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> log.head().seq() >= 2); // the record of the failed checkpoint is signed now
        }
        assertThat(AuditVerifier.verify(dir, null).problem()).isNull();
    }

    @Test
    void recordsHandedOverFromSeveralThreadsInBurstsAreAllWrittenOnceInOneChain() throws Exception {
        // the writer lingers between batches and parks when nothing is queued; each burst below starts with the
        // writer idle (the thread waits until everything handed over so far is written), so every burst has to wake it
        int threads = 4, bursts = 20, perBurst = 100;
        java.util.concurrent.atomic.AtomicInteger handedOver = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (AuditLog log = open(64 * 1024)) {
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                producers.add(new Thread(() -> {
                    for (int b = 0; b < bursts; b++) {
                        for (int i = 0; i < perBurst; i++) {
                            int n = (thread * bursts + b) * perBurst + i;
                            log.record(record(n, n % 2 == 0 ? "acme" : "globex", 100));
                            handedOver.incrementAndGet();
                        }
                        await().pollDelay(Duration.ZERO)
                                .pollInterval(Duration.ofMillis(1))
                                .atMost(Duration.ofSeconds(10))
                                .until(() -> log.written() >= handedOver.get());
                    }
                }));
            }
            producers.forEach(Thread::start);
            for (Thread producer : producers) {
                producer.join();
            }
            assertThat(log.dropped()).isZero();
            assertThat(log.written()).isEqualTo(threads * bursts * perBurst);
        }

        AuditVerifier.Result result =
                AuditVerifier.verify(dir, AuditSigner.readPublicKey(dir.resolve(AuditSigner.PUBLIC_FILE)));
        assertThat(result.problem()).isNull();
        for (Path file : files()) {
            for (String line : Files.readAllLines(file)) {
                int at = line.indexOf("\"requestId\":\"");
                if (at >= 0) {
                    String id = line.substring(at + 13, line.indexOf('"', at + 13));
                    assertThat(ids.add(id)).as("written once: %s", id).isTrue();
                }
            }
        }
        assertThat(ids).hasSize(threads * bursts * perBurst);
    }

    @Test
    void anUntouchedTrailVerifies() throws Exception {
        writeRecords(200, 8 * 1024);

        AuditVerifier.Result result =
                AuditVerifier.verify(dir, AuditSigner.readPublicKey(dir.resolve(AuditSigner.PUBLIC_FILE)));

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

        AuditVerifier.Result result =
                AuditVerifier.verify(dir, AuditSigner.readPublicKey(other.resolve(AuditSigner.PUBLIC_FILE)));

        assertThat(result.problem()).contains("signature does not verify");
    }

    @Test
    void theChainContinuesAcrossRestartsAndAfterATornWrite() throws Exception {
        writeRecords(10, 1 << 20);
        Path file = files().get(0);
        Files.writeString(
                file, "{\"seq\":999,\"prev\":\"ab", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        writeRecords(10, 1 << 20);

        AuditVerifier.Result result = AuditVerifier.verify(dir, null);
        assertThat(result.problem()).isNull();
        assertThat(Files.readString(file)).contains("\"type\":\"recovery\"").contains("torn record");
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
        assertThat(AuditReport.build(
                                dir,
                                "acme",
                                Instant.parse("2026-11-28T10:00:10Z"),
                                Instant.parse("2026-11-28T10:00:20Z"))
                        .requests())
                .isEqualTo(5);
    }

    /** The hash the chain gives a line, as the gateway computes it. */
    private static String sha256(String line) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(line.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRestartDoesNotLaunderACutTail() throws Exception {
        writeRecords(30, 1 << 20);
        Path file = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // cut the last three lines: two records and the final checkpoint
        Files.write(file, lines.subList(0, lines.size() - 3));
        assertThat(AuditVerifier.verify(dir, null).problem()).contains("tail of the trail was cut");

        try (AuditLog log = open(1 << 20)) {
            assertThat(log.startProblem()).as("reported at start").contains("tail of the trail was cut");
            log.record(record(100, "acme", 1));
        }

        AuditVerifier.Result after = AuditVerifier.verify(dir, null);
        assertThat(after.ok()).as("a restart must not make a cut trail verify").isFalse();
        assertThat(after.problem()).contains("found this trail broken").contains("tail of the trail was cut");
        assertThat(files())
                .as("the new chain segment starts in a file of its own")
                .hasSize(2);
        assertThat(Files.readAllLines(files().get(1)).get(0))
                .contains("\"type\":\"recovery\"")
                .contains("\"break\"");
        // and it stays failed after further restarts
        writeRecords(3, 1 << 20);
        assertThat(AuditVerifier.verify(dir, null).problem()).contains("found this trail broken");
    }

    @Test
    void aForgedRecordAfterTheLastCheckpointFailsVerifyAndIsNotVouchedForAfterARestart() throws Exception {
        writeRecords(10, 1 << 20);
        Path file = files().get(0);
        List<String> lines = Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        long seq = lines.size();
        String forged = "{\"seq\":" + seq + ",\"prev\":\"" + sha256(last) + "\",\"type\":\"request\",\"time\":"
                + "\"2026-11-28T10:05:00Z\",\"requestId\":\"forged\",\"vendor\":\"acme\",\"decision\":\"allow\","
                + "\"status\":200,\"bytesIn\":0,\"bytesOut\":5,\"route\":\"dataset-read\",\"path\":\"/datasets/x\"}";
        Files.writeString(file, forged + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        AuditVerifier.Result strict = AuditVerifier.verify(dir, null);
        assertThat(strict.ok()).as("an unsigned tail is not proven").isFalse();
        assertThat(strict.problem()).contains("not signed").contains("--allow-unsigned-tail");
        AuditVerifier.Result lenient = AuditVerifier.verifyWith(dir, new AuditVerifier.Options(null, null, true, null));
        assertThat(lenient.ok()).isTrue();
        assertThat(lenient.unsigned()).isEqualTo(1);
        assertThat(AuditReport.build(dir, "acme", null, null).unsigned())
                .as("the report marks it")
                .isEqualTo(1);

        writeRecords(2, 1 << 20); // a restart signs what follows, not the forged record
        assertThat(AuditVerifier.verify(dir, null).problem())
                .contains("records seq " + seq + " to " + seq)
                .contains("not signed when the gateway stopped");
        assertThat(AuditReport.build(dir, "acme", null, null).unsigned()).isEqualTo(1);
    }

    @Test
    void theSigningKeyLivesOutsideTheAuditFolderAndALegacyKeyIsMovedOut() throws Exception {
        writeRecords(5, 1 << 20);
        assertThat(dir.resolve(AuditSigner.PRIVATE_FILE)).doesNotExist();
        assertThat(keys.resolve(AuditSigner.PRIVATE_FILE)).exists();
        assertThat(dir.resolve(AuditSigner.PUBLIC_FILE))
                .as("the trail names its key")
                .exists();

        Path legacy = Files.createTempDirectory("legacy-audit");
        Path legacyKeys = Files.createTempDirectory("legacy-keys");
        String keyId = AuditSigner.loadOrCreate(legacy).keyId(); // an earlier version kept the key in the folder
        AuditSigner moved = AuditSigner.loadOrCreate(legacyKeys.resolve("audit.key"), legacy);
        assertThat(moved.keyId()).isEqualTo(keyId);
        assertThat(legacy.resolve(AuditSigner.PRIVATE_FILE)).doesNotExist();
        assertThat(legacyKeys.resolve("audit.key")).exists();
    }

    @Test
    void aTrailReSignedWithAnotherKeyFailsAgainstAPinnedFingerprint() throws Exception {
        writeRecords(5, 1 << 20);
        String keyId = AuditVerifier.verify(dir, null).notes().get(0).replaceAll(".*\\(([0-9a-f]{16}),.*", "$1");
        assertThat(keyId).hasSize(16);
        // an attacker with write access but not the key: a new key, the trail re-signed with it
        Path forger = Files.createTempDirectory("forger");
        AuditSigner theirs = AuditSigner.loadOrCreate(forger);
        List<String> rewritten = new ArrayList<>();
        String prev = AuditLog.GENESIS;
        for (String line : Files.readAllLines(files().get(0))) {
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            node.put("prev", prev);
            if ("checkpoint".equals(node.path("type").asText())) {
                node.put("keyId", theirs.keyId())
                        .put("signature", theirs.sign(node.path("seq").asLong(), prev));
            }
            String text = node.toString();
            rewritten.add(text);
            prev = sha256(text);
        }
        Files.write(files().get(0), rewritten);
        Files.copy(
                forger.resolve(AuditSigner.PUBLIC_FILE),
                dir.resolve(AuditSigner.PUBLIC_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(dir.resolve(AuditFiles.HEAD));
        long lastSeq = rewritten.size() - 1;
        Files.writeString(
                dir.resolve(AuditFiles.HEAD),
                "{\"seq\":" + lastSeq + ",\"hash\":\"" + prev + "\",\"signature\":\"" + theirs.sign(lastSeq, prev)
                        + "\"}\n");

        AuditVerifier.Result trusting = AuditVerifier.verify(dir, null);
        assertThat(trusting.ok())
                .as("against the folder's own key the forgery holds")
                .isTrue();
        assertThat(trusting.notes()).anyMatch(n -> n.contains("the key the trail itself names"));
        AuditVerifier.Result pinned =
                AuditVerifier.verifyWith(dir, new AuditVerifier.Options(null, keyId, false, null));
        assertThat(pinned.problem()).contains("not the pinned " + keyId);
    }

    @Test
    void aHeadSeenOutsideTheHostCatchesARewrittenTrail() throws Exception {
        AuditLog.Head published;
        try (AuditLog log = open(1 << 20)) {
            for (int i = 0; i < 10; i++) {
                log.record(record(i, "acme", 100));
            }
            published = await("the trail's head is published")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(log::head, java.util.Objects::nonNull);
        }
        assertThat(published).isNotNull();
        AuditVerifier.Options withHead = new AuditVerifier.Options(null, null, false, published.text());
        assertThat(AuditVerifier.verifyWith(dir, withHead).problem()).isNull();

        AuditVerifier.Options wrong =
                new AuditVerifier.Options(null, null, false, published.seq() + ":" + "0".repeat(64));
        assertThat(AuditVerifier.verifyWith(dir, wrong).problem()).contains("seen outside this host");
    }

    /** Records spread over four days, one file a day. */
    private void writeDays() throws Exception {
        for (int day = 0; day < 4; day++) {
            Instant at = Instant.parse("2026-11-20T10:00:00Z").plus(Duration.ofDays(day));
            try (AuditLog log = AuditLog.open(
                    new AuditSettings(
                            dir, true, 1024, Duration.ofMillis(200), 1 << 20, keys.resolve("audit-signing.key")),
                    Clock.fixed(at, java.time.ZoneOffset.UTC))) {
                for (int i = 0; i < 5; i++) {
                    log.record(record(i, "acme", 10));
                }
            }
        }
    }

    @Test
    void pruningOldFilesLeavesASignedAnchorSoTheRestStillVerifies() throws Exception {
        writeDays();
        assertThat(files()).hasSize(4);
        AuditSigner signer = AuditSigner.loadOrCreate(keys.resolve("audit-signing.key"), dir);

        // the files of the 20th and 21st: the second holds records until the third opened, on the 22nd at 10:00
        AuditPruner.Outcome outcome =
                AuditPruner.prune(dir, signer, Instant.parse("2026-11-22T11:00:00Z"), null, Instant.now());

        assertThat(outcome.removed()).hasSize(2);
        assertThat(files()).hasSize(2);
        AuditVerifier.Result result = AuditVerifier.verify(dir, null);
        assertThat(result.problem()).isNull();
        assertThat(result.notes()).anyMatch(n -> n.contains("were pruned"));

        // a change after the anchor still fails
        Path first = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        lines.set(1, lines.get(1).replace("\"bytesOut\":10", "\"bytesOut\":99"));
        Files.write(first, lines);
        assertThat(AuditVerifier.verify(dir, null).problem()).contains("hash chain is broken");
    }

    @Test
    void deletingAFileWithoutAnAnchorOrForgingTheAnchorFails() throws Exception {
        writeDays();
        Files.delete(files().get(0));
        assertThat(AuditVerifier.verify(dir, null).problem()).contains("records are missing");

        Files.writeString(
                dir.resolve(AuditPruner.ANCHOR),
                "{\"seq\":" + AuditFiles.firstSeq(files().get(0)) + ",\"prev\":\"" + "ab".repeat(32)
                        + "\",\"signature\":\"AAAA\"}\n");
        assertThat(AuditVerifier.verify(dir, null).problem()).contains("ANCHOR").contains("does not verify");
    }

    @Test
    void archivingMovesTheOldFilesAwayWithTheSameGuarantee() throws Exception {
        writeDays();
        Path archive = Files.createTempDirectory("audit-archive");
        AuditSigner signer = AuditSigner.loadOrCreate(keys.resolve("audit-signing.key"), dir);

        AuditPruner.Outcome outcome =
                AuditPruner.prune(dir, signer, Instant.parse("2026-11-23T11:00:00Z"), archive, Instant.now());

        assertThat(outcome.removed()).as("never the newest file").hasSize(3);
        assertThat(AuditFiles.list(archive)).hasSize(3);
        assertThat(AuditVerifier.verify(dir, null).problem()).isNull();
    }
}
