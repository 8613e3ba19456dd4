package dev.vendorgate.gateway.cli;

import static dev.vendorgate.gateway.testing.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.Cli;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ctl} says when it cannot do its call: plain words an operator acts on, never an exception's name. */
class CtlErrorsTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        pki.write(pki.pki().operator("oncall"), "oncall");
        pki.write(pki.pki().operator("auditor"), "auditor");
        // an operator certificate from another CA: what a mixed-up certificate folder gives
        Path other = Files.createDirectories(dir.resolve("other"));
        DevPki.create("lab.example")
                .operator("oncall")
                .writePem(other.resolve("oncall.pem"), other.resolve("oncall.key"));
        fixture = GatewayFixture.start(
                pki, Policies.WITH_ADMIN, Map.of(), GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Cli ctl(String admin, Path cert, Path key, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "ctl",
                "--admin",
                admin,
                "--cert",
                cert.toString(),
                "--key",
                key.toString(),
                "--cacert",
                dir.resolve("ca.pem").toString()));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    private static void assertPlain(Cli result) {
        assertThat(result.err())
                .doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b")
                .doesNotContain("\tat ")
                .doesNotContain("java.")
                .doesNotContain("javax.");
    }

    @Test
    void aClosedPortSaysConnectionRefusedAndAsksWhetherTheGatewayRuns() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli result = ctl("https://127.0.0.1:" + closed, dir.resolve("oncall.pem"), dir.resolve("oncall.key"), "status");

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err())
                .contains("connection refused at https://127.0.0.1:" + closed + ": is the gateway running?");
        assertPlain(result);
    }

    /**
     * In TLS 1.3 the server checks the client's certificate after the client is done with the
     * handshake, so the refusal reaches the client as an alert or as a closed connection, which
     * one by timing; either way the message names the certificate as the problem.
     */
    @org.junit.jupiter.api.RepeatedTest(3)
    void anOperatorCertificateFromAnotherCaIsNamedAsTheProblem() {
        Path other = dir.resolve("other");
        Cli result = ctl(
                "https://localhost:" + fixture.adminPort(),
                other.resolve("oncall.pem"),
                other.resolve("oncall.key"),
                "status");

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err())
                .contains("the admin API at https://localhost:" + fixture.adminPort() + " refused your certificate "
                        + other.resolve("oncall.pem") + ": ")
                .contains("not issued by the operators' CA");
        assertPlain(result);
    }

    @Test
    void aGatewayCertificateFromAnotherCaIsNotTrusted() throws Exception {
        Path otherCa = dir.resolve("other-ca");
        Files.createDirectories(otherCa);
        DevPki.create("lab.example").writeCa(otherCa);
        Cli result = run(
                "ctl",
                "--admin",
                "https://localhost:" + fixture.adminPort(),
                "--cert",
                dir.resolve("oncall.pem").toString(),
                "--key",
                dir.resolve("oncall.key").toString(),
                "--cacert",
                otherCa.resolve("ca.pem").toString(),
                "status");

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err())
                .contains("the gateway's certificate at https://localhost:" + fixture.adminPort()
                        + " is not issued by the CA in --cacert");
        assertPlain(result);
    }

    @Test
    void anUnknownHostIsNamed() {
        Cli result = ctl(
                "https://no-such-host.invalid:9443", dir.resolve("oncall.pem"), dir.resolve("oncall.key"), "status");

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err()).contains("unknown host 'no-such-host.invalid'");
        assertPlain(result);
    }

    @Test
    void aRefusalShowsTheProblemsDetail() {
        Cli result = ctl(
                "https://localhost:" + fixture.adminPort(),
                dir.resolve("auditor.pem"),
                dir.resolve("auditor.key"),
                "suspend",
                "acme",
                "--reason",
                "x");

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err())
                .contains("refused (403 insufficient-role): This call needs the 'operator' role; "
                        + "operator 'auditor' has 'viewer'.");
        assertPlain(result);
    }

    @Test
    void aMissingCertificateFileIsAUsageError() {
        Cli result = ctl(
                "https://localhost:" + fixture.adminPort(),
                dir.resolve("absent.pem"),
                dir.resolve("oncall.key"),
                "status");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err())
                .contains("--cert " + dir.resolve("absent.pem") + ": cannot read the file: no such file");
        assertPlain(result);
        Cli noCert = run("ctl", "--admin", "https://localhost:1", "status");
        assertThat(noCert.code()).isEqualTo(2);
        assertThat(noCert.err()).contains("an operator certificate is needed");
        Cli mismatched = ctl(
                "https://localhost:" + fixture.adminPort(),
                dir.resolve("oncall.pem"),
                dir.resolve("auditor.key"),
                "status");
        assertThat(mismatched.code()).as("a key that is not the certificate's").isEqualTo(2);
        assertThat(mismatched.err()).contains("does not match certificate " + dir.resolve("oncall.pem"));
        Cli notHttps = ctl("http://localhost:1", dir.resolve("oncall.pem"), dir.resolve("oncall.key"), "status");
        assertThat(notHttps.code()).isEqualTo(2);
        assertThat(notHttps.err()).contains("--admin must be an https:// URL");
    }
}
