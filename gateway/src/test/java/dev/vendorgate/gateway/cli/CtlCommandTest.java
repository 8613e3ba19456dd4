package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.Cli;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway ctl} and {@code gateway audit} against a running gateway, as an operator types them. */
class CtlCommandTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;

    @BeforeAll
    static void start() {
        TestPki pki = TestPki.create(dir);
        pki.write(pki.pki().operator("oncall"), "oncall");
        pki.write(pki.pki().operator("auditor"), "auditor");
        fixture = GatewayFixture.start(
                pki, Policies.WITH_ADMIN, Map.of(), GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
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
        return run(all.toArray(new String[0]));
    }

    @Test
    void suspendListAndResumeFromTheCommandLine() {
        Cli suspended = ctl("oncall", "suspend", "globex", "--reason", "leaked key", "--until", "2h");
        assertThat(suspended.code()).as(suspended.err()).isZero();
        assertThat(suspended.out())
                .contains("globex suspended (durable); sever: 0 connections and 0 requests in flight cut")
                .containsPattern("in flight cut in [0-9]+\\.[0-9] ms");

        Cli vendors = ctl("auditor", "vendors");
        assertThat(vendors.code()).isZero();
        assertThat(vendors.out())
                .containsPattern("globex\\s+suspended\\s+0\\s+0\\s+.* by oncall: leaked key \\(until ");
        assertThat(vendors.out()).containsPattern("acme\\s+active");

        Cli json = ctl("auditor", "vendors", "globex", "--json");
        assertThat(json.out()).contains("\"status\" : \"suspended\"");

        Cli onlySuspended = ctl("auditor", "vendors", "--suspended");
        assertThat(onlySuspended.out())
                .containsPattern("globex\\s+suspended.*:\\d\\dZ by oncall")
                .doesNotContain("acme");
        assertThat(onlySuspended.out())
                .as("timestamps to the second")
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ by oncall");
        assertThat(ctl("auditor", "vendors", "--suspended", "--json").out())
                .contains("globex")
                .doesNotContain("\"acme\"");

        Cli again = ctl("oncall", "suspend", "globex", "--reason", "twice");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("refused (409 conflict)");

        Cli resumed = ctl("oncall", "resume", "globex", "--reason", "rotated");
        assertThat(resumed.code()).isZero();
        assertThat(resumed.out()).contains("globex active (durable)");
    }

    @Test
    void exitCodesTellScriptsWhatHappened() {
        assertThat(ctl("auditor", "suspend", "acme", "--reason", "x").code())
                .as("role refused")
                .isEqualTo(1);
        assertThat(ctl("auditor", "status").code()).isZero();
        assertThat(ctl("auditor", "suspend", "acme").code())
                .as("usage: no reason")
                .isEqualTo(2);
        Cli unreachable = run(
                "ctl",
                "--admin",
                "https://localhost:1",
                "--cert",
                dir.resolve("oncall.pem").toString(),
                "--key",
                dir.resolve("oncall.key").toString(),
                "--cacert",
                dir.resolve("ca.pem").toString(),
                "status");
        assertThat(unreachable.code()).isEqualTo(3);
        assertThat(unreachable.err()).contains("connection refused at https://localhost:1: is the gateway running?");
        Cli noCert = run("ctl", "--admin", "https://localhost:1", "status");
        assertThat(noCert.code()).as("usage: no operator certificate").isEqualTo(2);
        assertThat(noCert.err()).contains("an operator certificate is needed");
    }

    @Test
    void auditVerifyAndReportFromTheCommandLine() throws Exception {
        assertThat(fixture.get(
                                fixture.client(
                                        fixture.pki().vendor("acme", null), java.net.http.HttpClient.Version.HTTP_1_1),
                                "/datasets/report-me")
                        .statusCode())
                .isEqualTo(200);

        // the trail is written a moment after the response
        Cli report = await("the request is in the report")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> run(
                                "audit",
                                "report",
                                "--vendor",
                                "acme",
                                "--dir",
                                dir.resolve("audit").toString(),
                                "--format",
                                "csv"),
                        r -> r.out().contains("/datasets/report-me"));
        assertThat(report.code()).isZero();
        assertThat(report.out())
                .startsWith("section,key,requests,allowed,bytes_in,bytes_out")
                .contains("object,dataset-read /datasets/report-me,1,,,");
        // a running gateway's newest records wait for the next checkpoint: proven once signed, or accepted as unproven
        Cli strict = run("audit", "verify", dir.resolve("audit").toString());
        assertThat(strict.code() == 0 || strict.err().contains("--allow-unsigned-tail"))
                .as(strict.err())
                .isTrue();
        Cli verify = run("audit", "verify", dir.resolve("audit").toString(), "--allow-unsigned-tail");
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("OK:");
        assertThat(run("audit", "verify", dir.resolve("nope").toString()).code())
                .as("usage: no such folder")
                .isEqualTo(2);
    }

    @Test
    void theReportSaysWhatAVendorTriedOverTheApiAndNeverGivesAFalseAllClear() throws Exception {
        java.net.http.HttpClient globex =
                fixture.client(fixture.pki().vendor("globex", "probe"), java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(globex, "/datasets/r1").statusCode()).isEqualTo(200);
        assertThat(fixture.get(globex, "/datasets/r2").statusCode()).isEqualTo(200);
        assertThat(fixture.get(globex, "/annotations/x").statusCode()).isEqualTo(405);
        assertThat(fixture.get(globex, "/nope-probe").statusCode()).isEqualTo(404);
        assertThat(ctl("oncall", "suspend", "globex", "--reason", "report drill")
                        .code())
                .isZero();
        assertThat(fixture.get(globex, "/datasets/r3").statusCode()).isEqualTo(403);
        assertThat(ctl("oncall", "resume", "globex", "--reason", "drill over").code())
                .isZero();

        // the trail is written a moment after the responses
        com.fasterxml.jackson.databind.JsonNode report = await("every request and admin action is in the report")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            Cli json = ctl("auditor", "report", "globex", "--since", "1h", "--format", "json");
                            assertThat(json.code()).as(json.err()).isZero();
                            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
                        },
                        r -> r.path("totals").path("requests").asInt() >= 5
                                && r.path("adminActions").size() >= 2);
        assertThat(report.path("totals").path("requests").asInt()).isEqualTo(5);
        assertThat(report.path("totals").path("denied").asInt()).isEqualTo(3);
        assertThat(report.path("requestsWhileSuspended").asInt()).isEqualTo(1);
        assertThat(report.path("deniedPaths").toString())
                .contains("/nope-probe")
                .contains("/annotations/x");
        assertThat(report.path("adminActions").toString())
                .contains("\"action\":\"suspend\"")
                .contains("\"action\":\"resume\"")
                .contains("report drill");
        assertThat(report.path("clientsSeen").toString()).contains("spiffe://lab.example/vendor/globex/probe");
        assertThat(report.path("timeline").size()).isPositive();

        Cli table = ctl("auditor", "report", "globex", "--since", "1h");
        assertThat(table.out())
                .contains("WHILE SUSPENDED")
                .contains("timeline")
                .contains("admin actions on the vendor");

        Cli unknown = ctl("auditor", "report", "globxe", "--since", "1h");
        assertThat(unknown.code()).as("a typo is an error, not an all-clear").isEqualTo(1);
        assertThat(unknown.err()).contains("vendors seen").contains("globex");
        Cli local = run(
                "audit",
                "report",
                "--vendor",
                "globxe",
                "--dir",
                dir.resolve("audit").toString());
        assertThat(local.code()).isEqualTo(1);
        assertThat(local.err()).contains("vendors seen");
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-audit"));
        Cli none = run("audit", "report", "--vendor", "globex", "--dir", empty.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no audit files");
        assertThat(fixture.admin(fixture.pki().vendor("globex", null), "GET", "/v1/vendors/globex/report", null)
                        .statusCode())
                .as("a vendor certificate is no operator")
                .isEqualTo(401);
    }

    @Test
    void anExpiryOutOfRangeIsRefusedInPlainWordsNotAnUnreachableApi() {
        Cli result = ctl("oncall", "suspend", "acme", "--reason", "typo", "--until", "999999999999d");

        assertThat(result.code()).as(result.err()).isEqualTo(1);
        assertThat(result.err())
                .contains("refused (400 bad-request)")
                .contains("days ahead")
                .doesNotContain("cannot reach");
    }
}
