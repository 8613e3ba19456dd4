package dev.vendorgate.certs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.Pem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsDevCommandTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Result(
                    CertsDevCommand.execute(args),
                    o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aWholePkiFromTheCommandLine() throws Exception {
        String d = dir.toString();
        assertThat(run("init", "--dir", d).code).isZero();
        assertThat(run("server", "--dir", d, "--name", "server").code).isZero();
        Result vendor = run("vendor", "--dir", d, "--vendor", "acme", "--client", "etl");
        assertThat(vendor.code).isZero();
        assertThat(vendor.out).contains("spiffe://lab.example/vendor/acme/etl").doesNotContain("PRIVATE");
        assertThat(run("operator", "--dir", d, "--name", "alice").code).isZero();

        X509Certificate acme = Pem.readCertificates(dir.resolve("acme-etl.pem")).get(0);
        X509Certificate ca = Pem.readCertificates(dir.resolve("ca.pem")).get(0);
        acme.verify(ca.getPublicKey());
        Pem.readPrivateKey(dir.resolve("acme-etl.key"));
        Pem.readPrivateKey(dir.resolve("alice.key"));

        assertThat(run(
                                "revoke",
                                "--dir",
                                d,
                                "--cert",
                                dir.resolve("acme-etl.pem").toString())
                        .code)
                .isZero();
        assertThat(run("revoke", "--dir", d, "--cert", dir.resolve("alice.pem").toString()).code)
                .isZero();
        X509CRL crl = Pem.readCrl(dir.resolve("ca.crl"));
        assertThat(crl.isRevoked(acme)).as("the first revocation is kept").isTrue();
        assertThat(crl.getRevokedCertificates()).hasSize(2);
    }

    @Test
    void refusesToOverwriteKeysWithoutForce() throws Exception {
        String d = dir.toString();
        run("init", "--dir", d);
        String before = Files.readString(dir.resolve("ca.key"));

        Result again = run("init", "--dir", d);

        assertThat(again.code).isEqualTo(1);
        assertThat(again.err).contains("ca.key exists; use --force");
        assertThat(Files.readString(dir.resolve("ca.key"))).isEqualTo(before);
        assertThat(run("init", "--dir", d, "--force").code).isZero();
        assertThat(run("vendor", "--dir", d, "--vendor", "acme").code).isZero();
        assertThat(run("vendor", "--dir", d, "--vendor", "acme").code).isEqualTo(1);
    }

    @Test
    void badInputIsOneLineNotAStackTrace() {
        String d = dir.toString();
        Result noCa = run("vendor", "--dir", d, "--vendor", "acme");
        assertThat(noCa.code).isEqualTo(1);
        assertThat(noCa.err).contains("no CA in").doesNotContain("\tat ");

        run("init", "--dir", d);
        Result badId = run("vendor", "--dir", d, "--vendor", "Not Valid");
        assertThat(badId.code).isEqualTo(1);
        assertThat(badId.err).contains("vendor id 'Not Valid'").doesNotContain("\tat ");

        Result p12 = run("vendor", "--dir", d, "--vendor", "acme", "--p12");
        assertThat(p12.code).isEqualTo(1);
        assertThat(p12.err).contains("--p12 needs a password");
    }

    @Test
    void usageAndHelp() {
        assertThat(run("--help").code).isZero();
        assertThat(run("vendor", "--help").code).isZero();
        assertThat(run("vendor").code).isEqualTo(2);
        assertThat(run().code).isEqualTo(2);
    }
}
