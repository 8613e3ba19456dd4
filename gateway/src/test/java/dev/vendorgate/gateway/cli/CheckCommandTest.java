package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.Cli;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway check}: exit codes and messages a deploy script relies on. */
class CheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void validPolicyExitsZero() throws Exception {
        TestPki.create(dir);
        Path policy = write(
                "ok.yaml",
                Policies.TWO_VENDORS.replace("${UPSTREAM_PORT}", "8080").replace("${DEAD_PORT}", "8081"));

        Cli result = run("check", "--config", policy.toString());

        assertThat(result.code()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).contains("OK (2 vendors, 7 routes, 2 upstreams, 0 operators)");
    }

    @Test
    void invalidPolicyExitsOneWithEveryError() throws Exception {
        TestPki.create(dir);
        Path policy = write("bad.yaml", """
                version: 1
                listeners:
                  vendor:
                    bind: "127.0.0.1:0"
                    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                upstreams:
                  data: { url: "http://127.0.0.1:8080" }
                routes:
                  - { id: read, pathPrefix: /datasets, methods: [GET], upstream: nowhere }
                vendors:
                  - id: acme
                    identities: [ { spiffe: "https://lab.example/vendor/acme" } ]
                    routes: [read, write]
                """);

        Cli result = run("check", "--config", policy.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err())
                .contains("bad.yaml:9:66: routes[0].upstream: unknown upstream 'nowhere'; defined: data")
                .contains("bad.yaml:12:29: vendors[0].identities[0].spiffe: must start with spiffe://")
                .contains("vendors[0].routes[1]: unknown route 'write'; defined: read")
                .contains("3 errors in");
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unusableKeyIsReportedByCheck() throws Exception {
        TestPki.create(dir);
        Files.writeString(
                dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        Path policy = write(
                "ok.yaml",
                Policies.TWO_VENDORS.replace("${UPSTREAM_PORT}", "8080").replace("${DEAD_PORT}", "8081"));

        Cli result = run("check", "--config", policy.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err())
                .contains("listeners.vendor.tls: ")
                .contains("server.key: not a usable PEM private key");
        assertThat(result.err()).doesNotContain("\tat ");
    }

    @Test
    void aMissingPolicyFileIsAUsageError() {
        Cli result = run("check", "--config", dir.resolve("absent.yaml").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err())
                .contains("absent.yaml: cannot read the file: no such file")
                .contains("see: gateway check --help")
                .doesNotContain("Usage:");
    }

    @Test
    void jsonSaysWhatWasCheckedTheResultAndEveryErrorWithTheSameExitCodes() throws Exception {
        TestPki.create(dir);
        Path good = write(
                "ok.yaml",
                Policies.TWO_VENDORS.replace("${UPSTREAM_PORT}", "8080").replace("${DEAD_PORT}", "8081"));
        Cli ok = run("check", "--config", good.toString(), "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode passed =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.out());
        assertThat(passed.path("ok").asBoolean()).isTrue();
        assertThat(passed.path("file").asText()).isEqualTo(good.toString());
        assertThat(passed.path("checked").size()).isEqualTo(4);
        assertThat(passed.path("checked").get(1).asText())
                .contains("listeners.vendor.tls")
                .contains("key");
        assertThat(passed.path("policy").path("vendors").asInt()).isEqualTo(2);
        assertThat(passed.path("errors").isArray()).isTrue();
        assertThat(passed.path("errors").size()).isZero();

        Files.writeString(
                dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        Cli bad = run("check", "--config", good.toString(), "--json");
        assertThat(bad.code()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode failed =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(bad.out());
        assertThat(failed.path("ok").asBoolean()).isFalse();
        assertThat(failed.path("errors").get(0).asText())
                .contains("listeners.vendor.tls: ")
                .contains("server.key: not a usable PEM private key");

        Path invalid = write("bad.yaml", "version: 1\nvendors: nope\n");
        Cli syntax = run("check", "--config", invalid.toString(), "--json");
        assertThat(syntax.code()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode refused =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(syntax.out());
        assertThat(refused.path("policy").isNull()).isTrue();
        assertThat(refused.path("errors").size()).isPositive();
        assertThat(refused.path("errors").get(0).asText()).startsWith(invalid.toString());
        assertThat(run("check", "--config", dir.resolve("absent.yaml").toString(), "--json")
                        .code())
                .isEqualTo(2);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("check").code()).isEqualTo(2);
        assertThat(run("no-such-command").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
    }

    @Test
    void helpAndVersionExitZero() {
        Cli help = run("--help");
        assertThat(help.code()).isEqualTo(0);
        assertThat(help.out()).contains("run").contains("check").contains("demo");
        assertThat(run("--version").code()).isEqualTo(0);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
