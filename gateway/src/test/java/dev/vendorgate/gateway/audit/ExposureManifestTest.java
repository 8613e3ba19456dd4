package dev.vendorgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.cli.GatewayCommand;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposure manifest from a real trail: known downloads (one object fetched by two clients,
 * one cut mid-stream) and uploads through the gateway over real TLS, then {@code audit exposure}
 * and {@code audit verify-manifest} as an incident responder runs them.
 */
class ExposureManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "/bytes/50000000";

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Result(
                    GatewayCommand.execute(args),
                    o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private GatewayFixture start() {
        return GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
    }

    private static HttpResponse<String> send(
            GatewayFixture fixture, HttpClient client, String method, String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(fixture.uri(path))
                        .timeout(Duration.ofSeconds(20))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The acme request record for {@code path}, waiting for it (the trail is written off the request path). */
    private JsonNode awaitRequest(String path) throws Exception {
        return await("the audit record of " + path)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> TrailRecords.of(dir.resolve("audit"), "request").stream()
                                .filter(r -> path.equals(r.path("path").asText()))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }

    private String[] manifest(Path out) {
        return manifest(out, dir.resolve("audit-key/audit-signing.key"));
    }

    private String[] manifest(Path out, Path signingKey) {
        return new String[] {
            "audit",
            "exposure",
            "--vendor",
            "acme",
            "--from",
            "1h",
            "--dir",
            dir.resolve("audit").toString(),
            "--format",
            "json",
            "--signing-key",
            signingKey.toString(),
            "--out",
            out.toString()
        };
    }

    private static JsonNode body(Path manifest) throws Exception {
        return JSON.readTree(Files.readString(manifest)).path("manifest");
    }

    @Test
    void theManifestListsExactlyWhatWasServedAndUploadedAndTamperingFails() throws Exception {
        GatewayFixture fixture = start();
        IssuedCertificate etl = fixture.pki().vendor("acme", "etl");
        IssuedCertificate labeler = fixture.pki().vendor("acme", "labeler");
        HttpClient etlClient = fixture.client(etl, HttpClient.Version.HTTP_1_1);
        HttpClient labelerClient = fixture.client(labeler, HttpClient.Version.HTTP_2);
        assertThat(fixture.get(etlClient, "/bytes/1000").body()).hasSize(1000);
        assertThat(fixture.get(labelerClient, "/bytes/1000").body()).hasSize(1000);
        assertThat(fixture.get(etlClient, "/bytes/2500").body()).hasSize(2500);
        String listing = fixture.get(etlClient, "/datasets/a").body();
        assertThat(fixture.get(etlClient, "/models/x").statusCode())
                .as("no route: nothing served")
                .isEqualTo(404);
        assertThat(send(fixture, etlClient, "POST", "/annotations/batch-1", "a".repeat(300))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(fixture, labelerClient, "PUT", "/annotations/batch-2", "b".repeat(1234))
                        .statusCode())
                .isEqualTo(200);
        assertThat(fixture.get(
                                fixture.client(fixture.pki().vendor("globex", null), HttpClient.Version.HTTP_1_1),
                                "/datasets/g")
                        .statusCode())
                .as("another vendor's download")
                .isEqualTo(200);
        long read;
        try (RawHttpsClient raw = new RawHttpsClient(fixture.pki().clientContext(etl), fixture.port())) {
            raw.send("GET " + BIG + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(200);
            read = raw.readBody(64 * 1024).length; // then the vendor hangs up mid-stream
        }
        JsonNode cut = awaitRequest(BIG);
        fixture.close(); // signs everything it wrote

        Path manifest = dir.resolve("acme-exposure.json");
        Result built = run(manifest(manifest));
        assertThat(built.code()).as(built.err()).isZero();
        JsonNode body = body(manifest);
        Map<String, JsonNode> objects = new java.util.TreeMap<>();
        body.path("objects").forEach(o -> objects.put(o.path("path").asText(), o));
        assertThat(objects).containsOnlyKeys("/bytes/1000", "/bytes/2500", "/datasets/a", BIG);
        JsonNode twice = objects.get("/bytes/1000");
        assertThat(twice.path("count").asLong()).isEqualTo(2);
        assertThat(twice.path("bytes").asLong()).isEqualTo(2000);
        assertThat(twice.path("clients").toString()).contains("vendor/acme/etl").contains("vendor/acme/labeler");
        assertThat(twice.path("certificates")).hasSize(2);
        assertThat(twice.path("certificates").toString())
                .contains(etl.sha256Fingerprint())
                .contains(labeler.sha256Fingerprint());
        assertThat(twice.path("addresses").toString()).isEqualTo("[\"127.0.0.1\"]");
        assertThat(objects.get("/bytes/2500").path("bytes").asLong()).isEqualTo(2500);
        assertThat(objects.get("/bytes/2500").path("count").asLong()).isEqualTo(1);
        assertThat(objects.get("/datasets/a").path("bytes").asLong()).isEqualTo(listing.length());
        JsonNode partial = objects.get(BIG);
        assertThat(partial.path("partial").asLong()).isEqualTo(1);
        assertThat(partial.path("bytes").asLong())
                .as("what the gateway sent before the vendor hung up")
                .isEqualTo(cut.path("bytesOut").asLong())
                .isGreaterThanOrEqualTo(read)
                .isLessThan(50_000_000);
        JsonNode uploads = body.path("uploads");
        assertThat(uploads).hasSize(2);
        assertThat(uploads.get(0).path("method").asText()).isEqualTo("POST");
        assertThat(uploads.get(0).path("path").asText()).isEqualTo("/annotations/batch-1");
        assertThat(uploads.get(0).path("bytes").asLong()).isEqualTo(300);
        assertThat(uploads.get(0).path("client").asText()).endsWith("vendor/acme/etl");
        assertThat(uploads.get(1).path("method").asText()).isEqualTo("PUT");
        assertThat(uploads.get(1).path("bytes").asLong()).isEqualTo(1234);
        assertThat(uploads.get(1).path("client").asText()).endsWith("vendor/acme/labeler");
        JsonNode trail = body.path("trails").get(0);
        long listed = 0;
        for (JsonNode file : trail.path("records")) {
            listed += file.size();
        }
        assertThat(listed).as("one record per fetch and upload").isEqualTo(7);
        assertThat(trail.path("heads")).isNotEmpty();
        assertThat(body.path("summary").path("unsignedRecords").asLong()).isZero();

        String audit = dir.resolve("audit").toString();
        Result ok = run("audit", "verify-manifest", manifest.toString(), "--dir", audit);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("OK: the manifest of acme (4 objects, 2 uploads, 7 records)");

        // one changed byte: 2000 bytes becomes 2001
        Path changed = dir.resolve("changed.json");
        Files.writeString(changed, Files.readString(manifest).replace("\"bytes\" : 2000", "\"bytes\" : 2001"));
        assertThat(Files.mismatch(manifest, changed)).isNotNegative();
        Result tampered = run("audit", "verify-manifest", changed.toString(), "--dir", audit);
        assertThat(tampered.code()).isEqualTo(1);
        Result json = run("audit", "verify-manifest", changed.toString(), "--dir", audit, "--json");
        assertThat(json.code()).as("--json keeps the exit code").isEqualTo(1);
        JsonNode verdict = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(verdict.path("ok").asBoolean()).isFalse();
        assertThat(verdict.path("problem").asText()).isNotBlank();
        JsonNode holds = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run("audit", "verify-manifest", manifest.toString(), "--dir", audit, "--json")
                        .out());
        assertThat(holds.path("ok").asBoolean()).isTrue();
        assertThat(holds.path("objects").asLong()).isEqualTo(4);
        assertThat(tampered.err()).contains("signature does not verify").contains("a single byte is enough");

        // a manifest of the same records, signed by a key that signs no trail
        Exposure exposure = Exposure.build(
                List.of(dir.resolve("audit")), "acme", Instant.now().minusSeconds(3600), null);
        AuditSigner other = AuditSigner.loadOrCreate(dir.resolve("other-key/k.key"), dir.resolve("other-key"));
        Path forged = dir.resolve("forged.json");
        Files.write(
                forged, ExposureManifest.signed(ExposureManifest.body(exposure, other.keyId(), Instant.now()), other));
        Result foreign = run("audit", "verify-manifest", forged.toString(), "--dir", audit);
        assertThat(foreign.code()).isEqualTo(1);
        assertThat(foreign.err()).contains("signs none of the given trails");
        Result refused = run(manifest(dir.resolve("x.json"), dir.resolve("other-key/k.key")));
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("signs none of the given trails");

        // the trail without the record of the second upload
        Path copy = dir.resolve("audit-copy");
        copyFolder(dir.resolve("audit"), copy);
        Path file = AuditFiles.list(copy).get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertThat(lines.removeIf(l -> l.contains("/annotations/batch-2"))).isTrue();
        Files.write(file, lines);
        Result removed = run("audit", "verify-manifest", manifest.toString(), "--dir", copy.toString());
        assertThat(removed.code()).isEqualTo(1);
        assertThat(removed.err()).contains("does not verify").contains("records are missing");

        assertThat(run("audit", "verify-manifest", dir.resolve("nope.json").toString(), "--dir", audit)
                        .code())
                .as("usage error")
                .isEqualTo(2);
    }

    @Test
    void theTableAndCsvListTheSameAndNothingToListIsAnError() throws Exception {
        GatewayFixture fixture = start();
        HttpClient etl = fixture.client(fixture.pki().vendor("acme", "etl"), HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(etl, "/bytes/700").statusCode()).isEqualTo(200);
        fixture.close();
        String audit = dir.resolve("audit").toString();

        Result table = run("audit", "exposure", "--vendor", "acme", "--from", "72h", "--dir", audit);
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("1 objects, 1 fetches, 700 bytes").contains("/bytes/700");
        Result csv =
                run("audit", "exposure", "--vendor", "acme", "--from", "2020-01-01", "--dir", audit, "--format", "csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        assertThat(csv.out()).contains("served,/bytes/700,,700,1,");

        Result json = run(
                "audit",
                "exposure",
                "--vendor",
                "acme",
                "--from",
                "72h",
                "--dir",
                audit,
                "--format",
                "json",
                "--signing-key",
                dir.resolve("audit-key/audit-signing.key").toString());
        assertThat(json.code()).as(json.err()).isZero();
        Path printed = dir.resolve("printed.json");
        Files.writeString(printed, json.out());
        assertThat(run("audit", "verify-manifest", printed.toString(), "--dir", audit)
                        .code())
                .as("the manifest printed to the standard output verifies")
                .isZero();

        Result typo = run("audit", "exposure", "--vendor", "acmee", "--from", "1h", "--dir", audit);
        assertThat(typo.code()).isEqualTo(1);
        assertThat(typo.err()).contains("'acmee' has no requests").contains("vendors seen: acme");
        Result empty = run("audit", "exposure", "--vendor", "acme", "--from", "1h", "--to", "2h", "--dir", audit);
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).contains("empty window");
        Result outside = run(
                "audit", "exposure", "--vendor", "acme", "--from", "2020-01-01", "--to", "2020-01-02", "--dir", audit);
        assertThat(outside.code()).isEqualTo(1);
        assertThat(outside.err()).contains("outside what the trail covers");
        Files.createDirectories(dir.resolve("empty"));
        Result none = run(
                "audit",
                "exposure",
                "--vendor",
                "acme",
                "--from",
                "1h",
                "--dir",
                dir.resolve("empty").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no audit trail in");
        assertThat(run("audit", "exposure", "--vendor", "acme", "--from", "yesterday", "--dir", audit)
                        .code())
                .isEqualTo(2);
    }

    @Test
    void requestsOnProbationAreMarkedInTheTrailTheReportAndTheManifest() throws Exception {
        GatewayFixture fixture = start();
        IssuedCertificate oncall = fixture.pki().pki().operator("oncall");
        IssuedCertificate root = fixture.pki().pki().operator("root");
        HttpClient old = fixture.client(fixture.pki().vendor("acme", "etl"), HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(old, "/bytes/100").statusCode()).isEqualTo(200);
        assertThat(fixture.admin(
                                oncall, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"INC-9\",\"breach\":true}")
                        .statusCode())
                .isEqualTo(200);
        IssuedCertificate fresh =
                fixture.pki().pki().vendorClient("acme", "etl-new", new CertificateBuilder().notBefore(Instant.now()));
        assertThat(fixture.admin(oncall, "POST", "/admin/vendors/acme/resume", "{\"reason\":\"new keys\"}")
                        .statusCode())
                .isEqualTo(200);
        HttpClient renewed = fixture.client(fresh, HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(renewed, "/bytes/200").statusCode()).isEqualTo(200);
        assertThat(fixture.admin(root, "POST", "/admin/vendors/acme/end-probation", "{\"reason\":\"clean\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(fixture.get(renewed, "/bytes/300").statusCode()).isEqualTo(200);
        JsonNode after = awaitRequest("/bytes/300");
        fixture.close();

        assertThat(awaitRequest("/bytes/200").path("probation").asBoolean()).isTrue();
        assertThat(awaitRequest("/bytes/100").has("probation")).isFalse();
        assertThat(after.has("probation")).isFalse();
        AuditReport report = AuditReport.build(dir.resolve("audit"), "acme", null, null);
        assertThat(report.onProbation()).isEqualTo(1);
        assertThat(AuditReportWriter.json(report).path("requestsOnProbation").asLong())
                .isEqualTo(1);
        Path manifest = dir.resolve("m.json");
        Result built = run(manifest(manifest));
        assertThat(built.code()).as(built.err()).isZero();
        Map<String, Long> probation = new java.util.TreeMap<>();
        body(manifest)
                .path("objects")
                .forEach(o -> probation.put(
                        o.path("path").asText(), o.path("onProbation").asLong()));
        assertThat(probation).isEqualTo(Map.of("/bytes/100", 0L, "/bytes/200", 1L, "/bytes/300", 0L));
    }

    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
