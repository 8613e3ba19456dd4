package dev.vendorgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.Scrape;
import dev.vendorgate.gateway.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A refused client certificate gets the TLS alert that says why (what a vendor engineer sees in
 * curl or the JDK's message), and is counted in {@code vendorgate_tls_handshake_failures_total} under
 * the reason docs/observability.md lists.
 */
class HandshakeAlertTest {

    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(dir, Policies.OBSERVED);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCertificateOfAnUnknownCaGetsUnknownCa() throws Exception {
        assertThat(alert(stranger(), "TLSv1.3")).isEqualTo("Received fatal alert: unknown_ca");
        awaitCount("certificate_untrusted", 1);
    }

    @Test
    void anExpiredCertificateGetsCertificateExpired() throws Exception {
        assertThat(alert(expired(), "TLSv1.3")).isEqualTo("Received fatal alert: certificate_expired");
        awaitCount("certificate_expired", 1);
    }

    @Test
    void aCertificateNotForClientAuthenticationGetsBadCertificate() throws Exception {
        assertThat(alert(notForClients(), "TLSv1.3")).isEqualTo("Received fatal alert: bad_certificate");
        awaitCount("certificate_untrusted", 1);
    }

    /**
     * In TLS 1.2 the server judges the certificate while the client is still writing its flight; it
     * sends the same alert and closes, and the JDK client often fails on its next write ("broken
     * pipe") before it reads the alert, so only the count is asserted here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"untrusted", "expired", "not-for-clients"})
    void tls12RefusalsAreCountedUnderTheirReason(String kind) throws Exception {
        IssuedCertificate client = switch (kind) {
            case "untrusted" -> stranger();
            case "expired" -> expired();
            default -> notForClients();
        };
        alert(client, "TLSv1.2");
        awaitCount(kind.equals("expired") ? "certificate_expired" : "certificate_untrusted", 1);
        assertThat(count("other")).isZero();
    }

    /** A vendor certificate from a CA the gateway does not trust (of the same name as the trusted one). */
    private static IssuedCertificate stranger() {
        return DevPki.create(TestPki.TRUST_DOMAIN).vendorClient("acme", null);
    }

    private IssuedCertificate expired() {
        return fixture.pki()
                .pki()
                .vendorClient(
                        "acme",
                        "old",
                        new CertificateBuilder()
                                .notBefore(Instant.now().minus(Duration.ofDays(30)))
                                .notAfter(Instant.now().minus(Duration.ofDays(1))));
    }

    /** The gateway's own server certificate: issued by the trusted CA, but for serverAuth only. */
    private IssuedCertificate notForClients() {
        return fixture.pki().server();
    }

    /** The message of the exception the client gets: the JDK names the alert it received. */
    private String alert(IssuedCertificate client, String protocol) throws Exception {
        Throwable thrown;
        try (SSLSocket socket = (SSLSocket)
                fixture.pki().clientContext(client).getSocketFactory().createSocket("127.0.0.1", fixture.port())) {
            socket.setSoTimeout(20_000);
            socket.setEnabledProtocols(new String[] {protocol});
            thrown = catchThrowable(() -> {
                socket.startHandshake();
                // in TLS 1.3 the client's certificate is judged after the client's Finished: the alert comes on read
                socket.getOutputStream()
                        .write("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().read();
            });
        }
        assertThat(thrown).as("the handshake must fail").isInstanceOf(java.io.IOException.class);
        return String.valueOf(thrown.getMessage());
    }

    private void awaitCount(String reason, double expected) {
        await("handshake failure counted as " + reason)
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(reason)).isEqualTo(expected));
    }

    private double count(String reason) throws Exception {
        Scrape scrape = Scrape.of(fixture.gateway().metricsAddress().getPort());
        return scrape.has("vendorgate_tls_handshake_failures_total", "listener", "vendor", "reason", reason)
                ? scrape.value("vendorgate_tls_handshake_failures_total", "listener", "vendor", "reason", reason)
                : 0;
    }
}
