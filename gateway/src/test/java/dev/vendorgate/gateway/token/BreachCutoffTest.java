package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.get;
import static dev.vendorgate.gateway.token.TokenSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.Cli;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a breach the stolen credentials stay dead: certificates issued and tokens minted before
 * the cut-off are refused after a resume and a restart, whatever the CA says, while a
 * certificate issued after it, or one enrolled by an operator, gets in.
 */
class BreachCutoffTest {

    @TempDir
    Path dir;

    GatewayFixture fixture;
    TestPki pki;
    IssuedCertificate oncall;

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        oncall = pki.pki().operator("oncall");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> admin(String path, String body) throws Exception {
        return fixture.admin(oncall, "POST", path, body);
    }

    private HttpResponse<String> read(IssuedCertificate certificate, String token) throws Exception {
        return get(fixture, certificate, HttpClient.Version.HTTP_1_1, "/datasets/x", token);
    }

    private static String type(HttpResponse<String> response) throws Exception {
        JsonNode problem = TokenSupport.JSON.readTree(response.body());
        return problem.path("type").asText();
    }

    @Test
    void stolenCredentialsStayDeadAfterResumeAndRestartAndNewOnesGetIn() throws Exception {
        IssuedCertificate stolen = pki.vendor("acme", "etl");
        String stolenToken = token(fixture, stolen, "datasets:read");
        assertThat(read(stolen, stolenToken).statusCode()).isEqualTo(200);

        HttpResponse<String> suspended =
                admin("/admin/vendors/acme/suspend", "{\"reason\":\"INC-7: keys stolen\",\"breach\":true}");
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        assertThat(TokenSupport.JSON
                        .readTree(suspended.body())
                        .path("credentialCutoff")
                        .asText())
                .isNotEmpty();
        // made after the cut-off: its notBefore (whole seconds) is at least the cut-off's second
        IssuedCertificate fresh =
                pki.pki().vendorClient("acme", "etl-new", new CertificateBuilder().notBefore(Instant.now()));
        assertThat(admin("/admin/vendors/acme/resume", "{\"reason\":\"new certificates issued\"}")
                        .statusCode())
                .isEqualTo(200);

        for (int run = 0; run < 2; run++) {
            HttpResponse<String> oldCert = read(stolen, null);
            assertThat(oldCert.statusCode())
                    .as("run %d: the stolen certificate", run)
                    .isEqualTo(403);
            assertThat(type(oldCert)).endsWith("credential-cut-off");
            assertThat(oldCert.body()).contains("obtain a new certificate");
            HttpResponse<String> oldToken = read(fresh, stolenToken);
            assertThat(oldToken.statusCode())
                    .as("run %d: the stolen token with a new certificate", run)
                    .isIn(401, 403);
            HttpResponse<String> tokenRequest = TokenSupport.request(fixture, stolen, "grant_type=client_credentials");
            assertThat(tokenRequest.statusCode())
                    .as("run %d: no new token for the stolen certificate", run)
                    .isEqualTo(401);
            assertThat(tokenRequest.body()).as("an RFC 6749 error").contains("\"error\":\"invalid_client\"");

            String freshToken = token(fixture, fresh, "datasets:read");
            assertThat(read(fresh, freshToken).statusCode())
                    .as("run %d: a certificate issued after the cut-off", run)
                    .isEqualTo(200);
            fixture.restart();
        }
    }

    @Test
    void anEnrolledCertificateGetsInDespiteTheCutoff() throws Exception {
        IssuedCertificate backDated = pki.vendor("acme", "etl-2"); // notBefore an hour ago, as many CAs do
        assertThat(admin("/admin/vendors/acme/suspend", "{\"reason\":\"INC-8\",\"breach\":true}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin("/admin/vendors/acme/resume", "{\"reason\":\"over\"}").statusCode())
                .isEqualTo(200);
        assertThat(read(backDated, null).statusCode()).isEqualTo(403);

        HttpResponse<String> bad = admin("/admin/vendors/acme/enroll", "{\"reason\":\"x\",\"sha256\":\"abc\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> enrolled = admin(
                "/admin/vendors/acme/enroll",
                "{\"reason\":\"CA back-dates notBefore\"," + "\"sha256\":\"" + backDated.sha256Fingerprint() + "\"}");
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);

        String token = token(fixture, backDated, "datasets:read");
        assertThat(read(backDated, token).statusCode()).isEqualTo(200);
        JsonNode vendor = TokenSupport.JSON.readTree(
                fixture.admin(oncall, "GET", "/admin/vendors/acme", null).body());
        assertThat(vendor.path("enrolled").toString()).contains(backDated.sha256Fingerprint());
        assertThat(admin(
                                "/admin/vendors/globex/enroll",
                                "{\"reason\":\"x\",\"sha256\":\"" + backDated.sha256Fingerprint() + "\"}")
                        .statusCode())
                .as("no cut-off: nothing to enroll")
                .isEqualTo(409);
    }

    @Test
    void aCompromiseWindowReachesBackToWhenTheVendorSaysItBegan() throws Exception {
        IssuedCertificate old = pki.pki()
                .vendorClient(
                        "acme",
                        "old",
                        new CertificateBuilder().notBefore(Instant.now().minus(Duration.ofHours(100))));
        IssuedCertificate recent = pki.vendor("acme", "recent"); // an hour old: after the window opened
        String recentToken = token(fixture, recent, "datasets:read");

        HttpResponse<String> suspended = admin(
                "/admin/vendors/acme/suspend",
                "{\"reason\":\"INC-9\",\"breach\":true," + "\"compromisedSince\":\"72h\"}");
        assertThat(suspended.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(TokenSupport.JSON
                        .readTree(suspended.body())
                        .path("credentialCutoff")
                        .asText()))
                .isBefore(Instant.now().minus(Duration.ofHours(71)));
        assertThat(admin("/admin/vendors/acme/resume", "{\"reason\":\"over\"}").statusCode())
                .isEqualTo(200);

        assertThat(type(read(old, null))).endsWith("credential-cut-off");
        assertThat(read(recent, null).statusCode())
                .as("let in, but it needs a new token")
                .isEqualTo(401);
        assertThat(read(recent, recentToken).statusCode())
                .as("tokens from before the suspension stay dead")
                .isEqualTo(401);
        assertThat(read(recent, token(fixture, recent, "datasets:read")).statusCode())
                .isEqualTo(200);
        assertThat(admin(
                                "/admin/vendors/acme/suspend",
                                "{\"reason\":\"x\",\"breach\":true," + "\"compromisedSince\":\"2h\",\"readOnly\":true}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theCommandLineSuspendsForABreachAndEnrollsACertificate() throws Exception {
        pki.write(oncall, "oncall");
        IssuedCertificate backDated = pki.vendor("acme", "etl-3");
        pki.write(backDated, "acme-new");
        String[] connect = {
            "ctl",
            "--admin",
            "https://localhost:" + fixture.adminPort(),
            "--cert",
            dir.resolve("oncall.pem").toString(),
            "--key",
            dir.resolve("oncall.key").toString(),
            "--cacert",
            dir.resolve("ca.pem").toString()
        };

        String suspended = cli(connect, "suspend", "acme", "--breach", "--reason", "INC-10");
        assertThat(suspended).contains("credential cut-off");
        String enrolled = cli(
                connect,
                "enroll",
                "acme",
                "--cert",
                dir.resolve("acme-new.pem").toString(),
                "--reason",
                "back-dated CA");
        assertThat(enrolled).contains("enrolled certificate " + backDated.sha256Fingerprint());
        cli(connect, "resume", "acme", "--reason", "over");

        assertThat(read(backDated, token(fixture, backDated, "datasets:read")).statusCode())
                .isEqualTo(200);
    }

    /** Runs the gateway command line and returns what it printed; fails unless it exits 0. */
    private static String cli(String[] connect, String... args) {
        String[] all = new String[connect.length + args.length];
        System.arraycopy(connect, 0, all, 0, connect.length);
        System.arraycopy(args, 0, all, connect.length, args.length);
        Cli ran = Cli.run(all);
        assertThat(ran.code()).as(String.join(" ", args) + ": " + ran.err()).isZero();
        return ran.out();
    }

    @Test
    void afterABreachTheVendorComesBackOnProbationUntilASecondOperatorEndsIt() throws Exception {
        fixture.close();
        TestPki second = TestPki.create(dir.resolve("probation"));
        java.nio.file.Files.writeString(second.dir().resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                second,
                Policies.WITH_TOKENS
                        .replace(
                                "    defaultScopes: [datasets:read]\n",
                                "    defaultScopes: [datasets:read]\n    limits: { bytesOutPerDay: 1MiB }\n")
                        .replace(
                                "  - { name: oncall, identity: { spiffe: \"spiffe://lab.example/ops/oncall\" }, role: operator }",
                                "  - { name: oncall, identity: { spiffe: \"spiffe://lab.example/ops/oncall\" }, role: operator }\n"
                                        + "  - { name: lead, identity: { spiffe: \"spiffe://lab.example/ops/lead\" }, role: operator }"),
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        IssuedCertificate first = second.pki().operator("oncall");
        IssuedCertificate lead = second.pki().operator("lead");
        assertThat(fixture.admin(first, "POST", "/admin/vendors/acme/suspend", "{\"reason\":\"INC\",\"breach\":true}")
                        .statusCode())
                .isEqualTo(200);
        IssuedCertificate fresh =
                second.pki().vendorClient("acme", "new", new CertificateBuilder().notBefore(Instant.now()));
        HttpResponse<String> resumed =
                fixture.admin(first, "POST", "/admin/vendors/acme/resume", "{\"reason\":\"new certificates\"}");
        assertThat(TokenSupport.JSON.readTree(resumed.body()).path("probation").asBoolean())
                .isTrue();

        String token = token(fixture, fresh, "datasets:read annotations:write");
        assertThat(read(fresh, token).statusCode()).as("reads are allowed").isEqualTo(200);
        HttpResponse<String> put = fixture.client(fresh, HttpClient.Version.HTTP_1_1)
                .send(
                        java.net.http.HttpRequest.newBuilder(fixture.uri("/annotations/x"))
                                .header("Authorization", "Bearer " + token)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(type(put)).endsWith("probation");
        JsonNode vendor = TokenSupport.JSON.readTree(
                fixture.admin(first, "GET", "/admin/vendors/acme", null).body());
        assertThat(vendor.path("status").asText()).isEqualTo("probation");
        assertThat(vendor.path("usage").path("bytesOut").path("limit").asLong())
                .as("a tenth of the quota")
                .isEqualTo(104_857);

        HttpResponse<String> same =
                fixture.admin(first, "POST", "/admin/vendors/acme/end-probation", "{\"reason\":\"done\"}");
        assertThat(same.statusCode())
                .as("the operator who resumed cannot end it")
                .isEqualTo(409);
        assertThat(same.body()).contains("two-person rule");
        assertThat(fixture.admin(lead, "POST", "/admin/vendors/acme/end-probation", "{\"reason\":\"reviewed\"}")
                        .statusCode())
                .isEqualTo(200);
        JsonNode after = TokenSupport.JSON.readTree(
                fixture.admin(first, "GET", "/admin/vendors/acme", null).body());
        assertThat(after.path("status").asText()).isEqualTo("active");
        assertThat(after.path("usage").path("bytesOut").path("limit").asLong()).isEqualTo(1_048_576);
    }

    @Test
    void aFullResumeSkipsProbationAndAPlainSuspensionHasNone() throws Exception {
        assertThat(admin("/admin/vendors/acme/suspend", "{\"reason\":\"INC\",\"breach\":true}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> full = admin("/admin/vendors/acme/resume", "{\"reason\":\"cleared\",\"full\":true}");
        assertThat(TokenSupport.JSON.readTree(full.body()).path("probation").asBoolean())
                .isFalse();
        assertThat(admin("/admin/vendors/globex/suspend", "{\"reason\":\"maintenance\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(TokenSupport.JSON
                        .readTree(admin("/admin/vendors/globex/resume", "{\"reason\":\"over\"}")
                                .body())
                        .path("probation")
                        .asBoolean())
                .isFalse();
    }
}
