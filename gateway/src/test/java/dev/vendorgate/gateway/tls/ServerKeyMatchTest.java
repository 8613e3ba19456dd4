package dev.vendorgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.cli.GatewayCommand;
import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.policy.load.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's key must belong to its certificate, proven by {@code check} and at start, SEC1 EC keys
 * are served like PKCS#8 ones, and a client's own certificate given as {@code clientCa} is refused.
 */
class ServerKeyMatchTest {

    @TempDir
    Path dir;

    private String policy() {
        return Policies.TWO_VENDORS.replace("${UPSTREAM_PORT}", "8080").replace("${DEAD_PORT}", "8081");
    }

    @Test
    void aKeyOfAnotherCertificateFailsCheckAndRun() throws Exception {
        TestPki pki = TestPki.create(dir);
        pki.write(pki.vendor("acme", null), "acme");
        Files.copy(
                dir.resolve("acme.key"), dir.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path file = Files.writeString(dir.resolve("gateway.yaml"), policy());

        Result check = check(file);
        assertThat(check.code).isEqualTo(1);
        assertThat(check.err)
                .contains("listeners.vendor.tls: key " + dir.resolve("server.key") + " does not match certificate "
                        + dir.resolve("server.pem"))
                .doesNotContain("\tat ");

        assertThatThrownBy(() -> Gateway.start(PolicyLoader.load(file), GatewayOptions.DEFAULTS))
                .isInstanceOf(GatewayConfigException.class)
                .hasMessageContaining("does not match certificate " + dir.resolve("server.pem"));
    }

    @Test
    void aSec1EcKeyIsServed() throws Exception {
        TestPki pki = TestPki.create(dir);
        String pem = Files.readString(dir.resolve("server.key"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        StringWriter sec1 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(sec1)) {
            // the SEC1 ECPrivateKey inside the PKCS#8 structure, with the curve named in it as OpenSSL writes it
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey inner =
                    org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            org.bouncycastle.asn1.sec.ECPrivateKey withCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
        }
        assertThat(sec1.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        Files.writeString(dir.resolve("server.key"), sec1.toString());

        Result check = check(Files.writeString(dir.resolve("gateway.yaml"), policy()));
        assertThat(check.code).as(check.err).isZero();
        try (GatewayFixture fixture =
                GatewayFixture.start(pki, Policies.TWO_VENDORS, java.util.Map.of(), GatewayOptions.DEFAULTS)) {
            HttpClient client = fixture.client(pki.vendor("acme", null), HttpClient.Version.HTTP_1_1);
            assertThat(fixture.get(client, "/datasets/a").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLeafCertificateAsClientCaIsRefused() throws Exception {
        TestPki pki = TestPki.create(dir);
        IssuedCertificate acme = pki.vendor("acme", null);
        pki.write(acme, "acme");
        Path file = Files.writeString(
                dir.resolve("gateway.yaml"), policy().replace("clientCa: [ca.pem]", "clientCa: [acme.pem]"));

        Result check = check(file);
        assertThat(check.code).isEqualTo(1);
        assertThat(check.err)
                .contains("clientCa " + dir.resolve("acme.pem"))
                .contains("is not a CA certificate (basicConstraints cA=false)");
        assertThatThrownBy(() -> Gateway.start(PolicyLoader.load(file), GatewayOptions.DEFAULTS))
                .isInstanceOf(GatewayConfigException.class)
                .hasMessageContaining("is not a CA certificate");
    }

    private record Result(int code, String err) {}

    private static Result check(Path file) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = GatewayCommand.execute("check", "--config", file.toString());
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
