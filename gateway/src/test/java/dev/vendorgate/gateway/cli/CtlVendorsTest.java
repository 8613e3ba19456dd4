package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.Cli;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctl vendors}, {@code ctl revoke --token} and {@code ctl revocations} as an operator reads them. */
class CtlVendorsTest {

    private static final String LONG_ID = "a-vendor-with-a-rather-long-identifier-for-columns";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static GatewayFixture fixture;

    @BeforeAll
    static void start() {
        TestPki pki = TestPki.create(dir);
        pki.write(pki.pki().operator("oncall"), "oncall");
        pki.write(pki.pki().operator("auditor"), "auditor");
        String policy = Policies.OBSERVED.replace(
                "\noperators:\n",
                "\n  - id: " + LONG_ID + "\n"
                        + "    identities: [ { spiffe: \"spiffe://lab.example/vendor/long\" } ]\n"
                        + "    routes: [dataset-read]\noperators:\n");
        assertThat(policy).contains(LONG_ID);
        fixture = GatewayFixture.start(
                pki, policy, Map.of(), GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Cli ctl(String operator, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "ctl",
                "--admin",
                "https://localhost:" + fixture.adminPort(),
                "--cert",
                dir.resolve(operator + ".pem").toString(),
                "--key",
                dir.resolve(operator + ".key").toString(),
                "--cacert",
                dir.resolve("ca.pem").toString()));
        all.addAll(List.of(args));
        Cli result = run(all.toArray(new String[0]));
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    private static JsonNode vendor(String id) throws Exception {
        return JSON.readTree(ctl("auditor", "vendors", id, "--json").out());
    }

    @Test
    void columnsAreAsWideAsTheLongestVendorId() {
        List<String> lines = ctl("auditor", "vendors").out().lines().toList();
        String heading = lines.get(0);
        int status = heading.indexOf("STATUS");
        int connections = heading.indexOf("CONNECTIONS");
        assertThat(status).isGreaterThan(LONG_ID.length());
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.charAt(status - 1)).as(line).isEqualTo(' ');
            assertThat(line.substring(status))
                    .as("status starts under STATUS: " + line)
                    .matches("^(active|suspended|read-only|probation).*");
            assertThat(line.substring(0, status).strip()).as(line).doesNotContain(" ");
            assertThat(line.charAt(connections - 1)).as(line).isEqualTo(' ');
        }
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(LONG_ID + " active"));
    }

    @Test
    void noLimitIsNullNotZeroInJson() throws Exception {
        JsonNode usage = vendor("acme").path("usage");
        assertThat(usage.path("bytesOut").path("limit").asLong()).isEqualTo(1L << 30);
        assertThat(usage.path("bytesIn").path("limit").isNull())
                .as("no bytes-in quota")
                .isTrue();
        assertThat(usage.path("connections").path("limit").isNull()).isTrue();
        assertThat(usage.path("inFlight").path("limit").isNull()).isTrue();
        assertThat(usage.path("rate").path("requestsPerSecond").isNull()).isTrue();
        JsonNode globex = vendor("globex").path("usage");
        assertThat(globex.path("rate").path("requestsPerSecond").asDouble()).isEqualTo(0.01);
        assertThat(globex.path("bytesOut").path("limit").isNull()).isTrue();
    }

    @Test
    void sentTodaySurvivesARestartAlsoForAVendorWithoutAQuota() throws Exception {
        IssuedCertificate long_ = fixture.pki().pki().vendorClient("long", null);
        HttpResponse<String> fetched =
                fixture.get(fixture.client(long_, HttpClient.Version.HTTP_1_1), "/datasets/some-object");
        assertThat(fetched.statusCode()).isEqualTo(200);
        long sent = vendor(LONG_ID).path("usage").path("bytesOut").path("used").asLong();
        assertThat(sent).isPositive();

        fixture.restart();

        JsonNode after = vendor(LONG_ID).path("usage").path("bytesOut");
        assertThat(after.path("limit").isNull()).as("no quota").isTrue();
        assertThat(after.path("used").asLong())
                .as("sent today, after the restart")
                .isEqualTo(sent);
        assertThat(ctl("auditor", "vendors")
                        .out()
                        .lines()
                        .filter(l -> l.startsWith(LONG_ID))
                        .findFirst()
                        .orElseThrow())
                .contains(sent + " bytes / -");
    }

    @Test
    void revokingATokenIdTheGatewayNeverSawSaysSoAndRevocationsAreListed() throws Exception {
        String jti = jti(token(fixture.pki().vendor("acme", null)));

        Cli known = ctl("oncall", "revoke", "--token", jti, "--reason", "leaked in a log");
        assertThat(known.out()).contains("revoked token " + jti).doesNotContain("note:");
        assertThat(ctl("oncall", "revoke", "--token", jti, "--reason", "again").out())
                .contains("note: it was already revoked");

        Cli unknown = ctl("oncall", "revoke", "--token", "no-such-token-id", "--reason", "typo");
        assertThat(unknown.out())
                .contains("revoked token no-such-token-id")
                .contains("note: no-such-token-id is not a token this gateway has issued or seen");
        JsonNode answer = JSON.readTree(ctl("oncall", "revoke", "--token", "another-unknown", "--reason", "x", "--json")
                .out());
        assertThat(answer.path("known").asBoolean()).isFalse();
        ctl("oncall", "revoke", "--client", "spiffe://lab.example/vendor/globex/etl", "--reason", "left");

        Cli listed = ctl("auditor", "revocations");
        assertThat(listed.out())
                .containsPattern("token\\s+" + jti + "\\s+until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")
                .containsPattern("client\\s+spiffe://lab.example/vendor/globex/etl\\s+tokens issued before ");
        JsonNode all =
                JSON.readTree(ctl("auditor", "revocations", "--json").out()).path("revocations");
        assertThat(all.findValuesAsText("subject"))
                .contains(jti, "no-such-token-id", "spiffe://lab.example/vendor/globex/etl");
        HttpResponse<String> api =
                fixture.admin(fixture.pki().pki().operator("auditor"), "GET", "/admin/revocations", null);
        assertThat(api.statusCode()).as("a viewer may list them").isEqualTo(200);
        assertThat(api.body()).contains(jti);
    }

    private static String token(IssuedCertificate certificate) throws Exception {
        HttpResponse<String> response = fixture.client(certificate, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static String jti(String jwt) throws Exception {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JSON.readTree(payload).path("jti").asText();
    }
}
