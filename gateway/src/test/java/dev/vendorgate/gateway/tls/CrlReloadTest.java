package dev.vendorgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.CrlBuilder;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRL file that changes takes effect without a restart: the revoked certificate's open
 * connections are cut and its next handshake fails, while other certificates carry on; a broken
 * update keeps the lists in force.
 */
class CrlReloadTest {

    @TempDir
    Path dir;

    @Test
    void aRevocationInAChangedCrlCutsOpenConnectionsAndLaterHandshakes() throws Exception {
        TestPki pki = TestPki.create(dir);
        writeCrl(pki, new CrlBuilder(pki.pki().ca()));
        String policy = Policies.TWO_VENDORS.replace("clientCa: [ca.pem] }", "clientCa: [ca.pem], crl: [ca.crl] }");
        // CRL files checked every 100 ms instead of every 5 s
        GatewayOptions options = GatewayOptions.DEFAULTS
                .withShutdownGrace(Duration.ofSeconds(1))
                .withPeriods(GatewayOptions.Periods.DEFAULTS.withCrlCheck(Duration.ofMillis(100)));
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger watcherLog = Logger.getLogger(CrlWatcher.class.getName());
        watcherLog.addHandler(handler);
        try (GatewayFixture fixture = GatewayFixture.start(pki, policy, Map.of(), options)) {
            IssuedCertificate leaked = pki.vendor("acme", "leaked");
            IssuedCertificate other = pki.vendor("acme", "other");
            RawHttpsClient open = new RawHttpsClient(pki.clientContext(leaked), fixture.port());
            open.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = open.readHead();
            assertThat(head.status()).isEqualTo(200);
            open.readBody(head.contentLength());

            writeCrl(pki, new CrlBuilder(pki.pki().ca()).revoke(leaked.certificate()));

            assertThat(open.closedByServer())
                    .as("the open connection of the revoked certificate")
                    .isTrue();
            assertThatThrownBy(() -> status(fixture, pki, leaked)).isInstanceOf(IOException.class);
            assertThat(status(fixture, pki, other)).isEqualTo(200);

            // a broken update is refused: the revocation stays
            Files.writeString(dir.resolve("ca.crl"), "-----BEGIN X509 CRL-----\nnot a crl\n-----END X509 CRL-----\n");
            await("the broken update is reported")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> warnings.stream().anyMatch(w -> w.contains("tls.crl changed but cannot be used")));
            assertThatThrownBy(() -> status(fixture, pki, leaked)).isInstanceOf(IOException.class);
            assertThat(status(fixture, pki, other)).isEqualTo(200);
        } finally {
            watcherLog.removeHandler(handler);
        }
    }

    private static void writeCrl(TestPki pki, CrlBuilder builder) throws IOException {
        Path temp = pki.dir().resolve("ca.crl.tmp");
        Files.writeString(temp, CrlBuilder.pem(builder.build()));
        Files.move(
                temp, pki.dir().resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int status(GatewayFixture fixture, TestPki pki, IssuedCertificate certificate) throws IOException {
        try (RawHttpsClient client = new RawHttpsClient(pki.clientContext(certificate), fixture.port())) {
            client.send("GET /datasets/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return client.readHead().status();
        }
    }
}
