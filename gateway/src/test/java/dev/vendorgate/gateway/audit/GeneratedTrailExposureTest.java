package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trail the benchmark generator writes is one the gateway's own verifier accepts, and the
 * exposure over it counts what the generator wrote: the 10-million-record measurement in
 * docs/audit.md is of a real trail and a correct answer.
 */
class GeneratedTrailExposureTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedTrailVerifiesAndItsExposureCountsWhatWasWritten() throws Exception {
        Path audit = dir.resolve("audit");
        TrailGenerator.write(audit, 120_000);
        assertThat(AuditVerifier.verify(audit, null).problem()).isNull();

        // v3's records are i = 10n + 3; from the 5,000th of them on
        Instant from = TrailGenerator.START.plusMillis(50_003);
        Exposure e = Exposure.build(List.of(audit), "v3", from, null);
        long uploads = 0;
        long downloads = 0;
        long bytes = 0;
        long probation = 0;
        for (long n = 5_000; n < 12_000; n++) {
            if (n % 10 == 9) {
                uploads++;
            } else {
                downloads++;
                bytes += 1000 + n % 1000;
                probation += n % 7 == 0 ? 1 : 0;
            }
        }
        JsonNode summary = ExposureManifest.summary(e);
        assertThat(summary.path("uploads").asLong()).isEqualTo(uploads);
        assertThat(summary.path("fetches").asLong()).isEqualTo(downloads);
        assertThat(summary.path("objects").asLong()).isEqualTo(downloads); // n % 100,000: no object twice here
        assertThat(summary.path("bytesServed").asLong()).isEqualTo(bytes);
        assertThat(summary.path("bytesReceived").asLong()).isEqualTo(uploads * 2048);
        assertThat(summary.path("unsignedRecords").asLong()).isZero();
        assertThat(e.objects.values().stream().mapToLong(s -> s.onProbation).sum())
                .isEqualTo(probation);

        AuditSigner signer = AuditSigner.load(dir.resolve("audit-key/audit-signing.key"));
        Path manifest = dir.resolve("v3.json");
        Files.write(manifest, ExposureManifest.signed(ExposureManifest.body(e, signer.keyId(), Instant.now()), signer));
        ManifestVerifier.Result result = ManifestVerifier.verify(manifest, List.of(audit), null, null);
        assertThat(result.problem()).isNull();
        assertThat(result.records()).isEqualTo(uploads + downloads);
        JsonNode heads = new ObjectMapper()
                .readTree(Files.readString(manifest))
                .path("manifest")
                .path("trails")
                .get(0)
                .path("heads");
        assertThat(heads.get(heads.size() - 1).path("seq").asLong())
                .as("the last checkpoint")
                .isEqualTo(120_002);
    }

    @Test
    void aRecordLaidOutOtherwiseIsStillCounted() throws Exception {
        Path audit = dir.resolve("audit");
        TrailGenerator.write(audit, 1_000);
        Path file = AuditFiles.list(audit).get(0);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        ObjectMapper json = new ObjectMapper();
        // record 13 is v3's second download (n = 1): its fields in another order, as another writer might put them
        com.fasterxml.jackson.databind.node.ObjectNode record =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(lines.get(13));
        assertThat(record.path("vendor").asText()).isEqualTo("v3");
        com.fasterxml.jackson.databind.node.ObjectNode moved =
                json.createObjectNode().put("type", "request");
        record.properties().forEach(e -> moved.set(e.getKey(), e.getValue()));
        lines.set(13, json.writeValueAsString(moved));
        Files.write(file, lines);

        Exposure e = Exposure.build(List.of(audit), "v3", null, null);
        assertThat(e.vendorRecords()).isEqualTo(100);
        assertThat(e.objects).containsKey("/datasets/d/1");
        assertThat(e.trails.get(0).records.values().iterator().next().seqs).contains(13L);
    }

    @Test
    void aFleetsTrailsAreMergedAndVerifiedTogether() throws Exception {
        Path node1 = dir.resolve("node1");
        Path node2 = dir.resolve("node2");
        TrailGenerator.write(node1, 2_000);
        TrailGenerator.write(node2, 3_000);
        Exposure one = Exposure.build(List.of(node1), "v3", null, null);
        Exposure both = Exposure.build(List.of(node1, node2), "v3", null, null);
        assertThat(ExposureManifest.summary(one).path("fetches").asLong()).isEqualTo(180);
        assertThat(ExposureManifest.summary(both).path("fetches").asLong()).isEqualTo(180 + 270);
        assertThat(both.objects.get("/datasets/d/1").count)
                .as("fetched on both nodes")
                .isEqualTo(2);

        AuditSigner signer = AuditSigner.load(dir.resolve("node1-key/audit-signing.key"));
        Path manifest = dir.resolve("fleet.json");
        Files.write(
                manifest, ExposureManifest.signed(ExposureManifest.body(both, signer.keyId(), Instant.now()), signer));
        assertThat(ManifestVerifier.verify(manifest, List.of(node1, node2), null, null)
                        .problem())
                .isNull();
        assertThat(ManifestVerifier.verify(manifest, List.of(node1), null, null).problem())
                .contains("pass every --dir it was built from");
    }
}
