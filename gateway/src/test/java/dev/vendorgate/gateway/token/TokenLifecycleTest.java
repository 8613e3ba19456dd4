package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.claims;
import static dev.vendorgate.gateway.token.TokenSupport.es256;
import static dev.vendorgate.gateway.token.TokenSupport.gatewayKey;
import static dev.vendorgate.gateway.token.TokenSupport.get;
import static dev.vendorgate.gateway.token.TokenSupport.request;
import static dev.vendorgate.gateway.token.TokenSupport.sign;
import static dev.vendorgate.gateway.token.TokenSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.ECKey;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.cli.GatewayCommand;
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
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a token is worth over time: no more than the key that signed it (rotation and retirement
 * reach tokens already verified and cached), never more than the policy's maximum lifetime, and
 * exactly as much as a suspension and resume say, however close together they come.
 */
class TokenLifecycleTest {

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCertificate acme;
    IssuedCertificate oncall;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS.replace("  clockSkew: 5s\n", "  clockSkew: 5s\n  maxLifetime: 30m\n"),
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        acme = pki.vendor("acme", "etl-1");
        oncall = pki.pki().operator("oncall");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private int status(String token) throws Exception {
        return get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", token)
                .statusCode();
    }

    /** Waits until a request with {@code token} gets {@code expected} (the gateway's own key check, every 2 s). */
    private int eventually(String token, int expected) {
        return await("a request with the token gets " + expected)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status(token), status -> status == expected);
    }

    /** Has the gateway look at its key folder now, as its maintenance does every two seconds. */
    private void pickUpKeys() {
        fixture.gateway()
                .state()
                .snapshot()
                .tokens()
                .orElseThrow()
                .maintain(fixture.gateway().state().clock().instant());
    }

    /** Runs {@code gateway keys rotate --dir keys/ FLAGS} as an operator would, and returns what it printed. */
    private String rotate(String... flags) {
        String[] args = new String[flags.length + 4];
        args[0] = "keys";
        args[1] = "rotate";
        args[2] = "--dir";
        args[3] = dir.resolve("keys").toString();
        System.arraycopy(flags, 0, args, 4, flags.length);
        Cli rotated = Cli.run(args);
        assertThat(rotated.code()).as(rotated.err()).isZero();
        return rotated.out();
    }

    @Test
    void aVerifiedAndCachedTokenDiesWithItsKeyAfterTwoRotations() throws Exception {
        String token = token(fixture, acme, "datasets:read");
        assertThat(status(token)).isEqualTo(200); // verified and cached now

        rotate();
        pickUpKeys();
        assertThat(status(token))
                .as("one rotation: the previous key still verifies")
                .isEqualTo(200);
        rotate();
        pickUpKeys();

        assertThat(status(token))
                .as("two rotations: the key is gone from the key set, and so is the " + "token, cached or not")
                .isEqualTo(401);
    }

    @Test
    void anEmergencyRotationRetiresTheOldKeysTokensAtOnce() throws Exception {
        String token = token(fixture, acme, "datasets:read");
        String oldKid = TokenSupport.header(token).path("kid").asText();
        String published = gatewayKey(dir).getKeyID(); // current; next is published ahead
        assertThat(status(token)).isEqualTo(200);

        String printed = rotate("--now", "--retire-old");

        assertThat(printed).contains("no longer trusted").contains(oldKid).contains("ctl revoke --signing-key");
        assertThat(eventually(token, 401)).isEqualTo(401);
        String fresh = token(fixture, acme, "datasets:read");
        assertThat(TokenSupport.header(fresh).path("kid").asText())
                .isNotEqualTo(oldKid)
                .isNotEqualTo(published);
        assertThat(status(fresh)).isEqualTo(200);
    }

    @Test
    void retiringAKeyThroughTheAdminApiRefusesItsTokensOnTheNextRequest() throws Exception {
        String token = token(fixture, acme, "datasets:read");
        String kid = TokenSupport.header(token).path("kid").asText();
        assertThat(status(token)).isEqualTo(200);

        HttpResponse<String> refused = fixture.admin(
                oncall,
                "POST",
                "/admin/revocations",
                "{\"kind\":\"key\",\"subject\":\"" + kid + "\",\"reason\":\"key stolen\"}");
        assertThat(refused.statusCode())
                .as("the key still signing cannot be retired before a rotation")
                .isEqualTo(409);
        assertThat(refused.body()).contains("rotate first");

        rotate();
        // the gateway picks the rotation up within seconds; then the old key, now "previous", may be retired
        HttpResponse<String> retired = await("the old key may be retired")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> fixture.admin(
                                oncall,
                                "POST",
                                "/admin/revocations",
                                "{\"kind\":\"key\",\"subject\":\"" + kid + "\",\"reason\":\"key stolen\"}"),
                        response -> response.statusCode() == 200);
        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
        assertThat(status(token)).isEqualTo(401);
    }

    @Test
    void aTokenLongerLivedThanThePolicyAllowsIsRefusedEvenWithAGenuineSignature() throws Exception {
        ECKey key = gatewayKey(dir);
        Instant now = Instant.now();
        String tenYears = sign(
                key,
                es256(key.getKeyID()).build(),
                claims(acme, "acme", "datasets:read")
                        .expirationTime(Date.from(now.plus(Duration.ofDays(3650))))
                        .build());
        String fine = sign(
                key,
                es256(key.getKeyID()).build(),
                claims(acme, "acme", "datasets:read").build());

        HttpResponse<String> response = get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", tenYears);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("lifetime");
        assertThat(status(fine)).as("a five-minute token with the same key").isEqualTo(200);
    }

    @Test
    void aTokenMintedRightAfterAQuickResumeWorksAndOneFromBeforeTheSuspensionDoesNot() throws Exception {
        for (int round = 0; round < 8; round++) {
            String before = token(fixture, acme, "datasets:read");
            assertThat(fixture.admin(
                                    oncall,
                                    "POST",
                                    "/admin/vendors/acme/suspend",
                                    "{\"reason\":\"drill " + round + "\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(fixture.admin(oncall, "POST", "/admin/vendors/acme/resume", "{\"reason\":\"drill over\"}")
                            .statusCode())
                    .isEqualTo(200);

            String after = token(fixture, acme, "datasets:read");

            assertThat(status(after))
                    .as("round %d: a token issued after the resume returned", round)
                    .isEqualTo(200);
            assertThat(status(before))
                    .as("round %d: a token issued before the suspension", round)
                    .isEqualTo(401);
        }
    }

    @Test
    void theTokenEndpointIsRateLimitedLikeAnyRequest() throws Exception {
        fixture.close();
        TestPki pki = TestPki.create(dir.resolve("limited"));
        Files.writeString(pki.dir().resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS.replace(
                        "    defaultScopes: [datasets:read]\n",
                        "    defaultScopes: [datasets:read]\n    limits: { requestsPerSecond: 2, burst: 2 }\n"),
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        IssuedCertificate limited = pki.vendor("acme", "etl-1");

        int issued = 0;
        int limitedCount = 0;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = request(fixture, limited, "grant_type=client_credentials");
            if (response.statusCode() == 200) {
                issued++;
            } else if (response.statusCode() == 429) {
                limitedCount++;
            }
        }

        assertThat(issued).as("a burst of 2 at 2 per second, not 12 signatures").isLessThanOrEqualTo(5);
        assertThat(limitedCount).isPositive();
    }

    @Test
    void theAuditReportListsEveryTokenIdWithItsFirstAndLastUse() throws Exception {
        String token = token(fixture, acme, "datasets:read");
        String jti = TokenSupport.claims(token).path("jti").asText();
        assertThat(status(token)).isEqualTo(200);
        assertThat(status(token)).isEqualTo(200);

        Path audit = dir.resolve("audit");
        dev.vendorgate.gateway.audit.AuditReport report = await("the token's three requests are in the trail")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> dev.vendorgate.gateway.audit.AuditReport.build(audit, "acme", null, null),
                        r -> r.tokenUse().get(jti) != null
                                && r.tokenUse().get(jti).requests() >= 3);

        // issued (the token request is recorded with its jti) and used twice
        assertThat(report.tokenUse()).containsKey(jti);
        assertThat(report.tokenUse().get(jti).requests()).isEqualTo(3);
        assertThat(report.tokenUse().get(jti).first())
                .isBeforeOrEqualTo(report.tokenUse().get(jti).last());
    }

    @Test
    void aMistypedKeysFolderIsAnErrorNotANewKeySet() throws Exception {
        Path typo = dir.resolve("keyz");
        Files.createDirectories(typo);
        java.io.PrintStream err = System.err;
        try {
            System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(GatewayCommand.execute("keys", "jwks", "--dir", typo.toString()))
                    .isEqualTo(2);
            assertThat(GatewayCommand.execute("keys", "rotate", "--dir", typo.toString()))
                    .isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        try (java.util.stream.Stream<Path> files = Files.list(typo)) {
            assertThat(files.count()).as("no keys made in a mistyped folder").isZero();
        }
        java.io.PrintStream out = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(GatewayCommand.execute("keys", "jwks", "--dir", typo.toString(), "--create"))
                    .isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(typo.resolve("current.jwk")).exists();
    }
}
