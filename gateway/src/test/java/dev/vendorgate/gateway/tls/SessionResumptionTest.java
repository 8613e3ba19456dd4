package dev.vendorgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vendorgate.certs.CrlBuilder;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A revoked certificate must not keep access by resuming a TLS session it saved before the
 * revocation (a TLS 1.2 session id or a TLS 1.3 ticket), with either TLS provider. The client is
 * the JDK's, one SSLContext for every connection so that it offers its saved session; a resumed
 * handshake is recognised by the client not being asked to check the server's certificate again.
 */
class SessionResumptionTest {

    /** CRL files checked every 100 ms instead of every 5 s: a reload is seen in a test's time. */
    private static final GatewayOptions CRL_CHECKED_OFTEN = GatewayOptions.DEFAULTS
            .withShutdownGrace(Duration.ofSeconds(1))
            .withPeriods(GatewayOptions.Periods.DEFAULTS.withCrlCheck(Duration.ofMillis(100)));

    @TempDir
    Path dir;

    static Stream<Arguments> providersAndVersions() {
        return Stream.of(
                Arguments.of(TlsProvider.OPENSSL, "TLSv1.2"),
                Arguments.of(TlsProvider.OPENSSL, "TLSv1.3"),
                Arguments.of(TlsProvider.JDK, "TLSv1.2"),
                Arguments.of(TlsProvider.JDK, "TLSv1.3"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void aSessionSavedBeforeTheRevocationGetsNothingAfterTheCrlReload(TlsProvider provider, String version)
            throws Exception {
        assumeTrue(provider == TlsProvider.JDK || OpenSsl.isAvailable(), "BoringSSL does not load here");
        TestPki pki = TestPki.create(dir);
        writeCrl(pki, new CrlBuilder(pki.pki().ca()));
        String policy = Policies.TWO_VENDORS.replace("clientCa: [ca.pem] }", "clientCa: [ca.pem], crl: [ca.crl] }");
        GatewayOptions options = CRL_CHECKED_OFTEN.withPreferJdkTls(provider == TlsProvider.JDK);
        try (GatewayFixture fixture = GatewayFixture.start(pki, policy, Map.of(), options)) {
            assertThat(fixture.gateway().tlsProvider()).isEqualTo(provider);
            IssuedCertificate leaked = pki.vendor("acme", "leaked");
            CountingTrust serverChecks = new CountingTrust(pki.pki().ca().certificate());
            SSLContext saved = context(leaked, serverChecks);

            byte[] firstId;
            try (SSLSocket first = connect(saved, fixture.port(), version)) {
                assertThat(first.getSession().getProtocol()).isEqualTo(version);
                assertThat(get(first)).isEqualTo(200);
                firstId = first.getSession().getId();
            }
            assertThat(serverChecks.count())
                    .as("the first handshake is a full one")
                    .isEqualTo(1);
            try (SSLSocket second = connect(saved, fixture.port(), version)) {
                assertThat(get(second)).isEqualTo(200);
                assertThat(serverChecks.count())
                        .as("the second handshake resumed the saved session")
                        .isEqualTo(1);
                if (version.equals("TLSv1.2")) {
                    assertThat(second.getSession().getId())
                            .as("TLS 1.2 resumes by session id")
                            .isEqualTo(firstId);
                }
            }

            // another connection of the same certificate, in its own context, tells when the CRL is reloaded
            RawHttpsClient canary = new RawHttpsClient(pki.clientContext(leaked), fixture.port());
            writeCrl(pki, new CrlBuilder(pki.pki().ca()).revoke(leaked.certificate()));
            assertThat(canary.closedByServer()).as("the CRL was reloaded").isTrue();
            canary.close();

            assertThat(statusOrRefused(saved, fixture.port(), version))
                    .as("the saved session of the revoked certificate")
                    .isEqualTo(-1);
            assertThat(statusOrRefused(pki.clientContext(pki.vendor("acme", "other")), fixture.port(), version))
                    .as("another certificate of the same vendor")
                    .isEqualTo(200);
        }
    }

    static Stream<String> versions() {
        return Stream.of("TLSv1.2", "TLSv1.3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void anOperatorsSessionSavedBeforeTheRevocationGetsNothingOnTheAdminListener(String version) throws Exception {
        TestPki pki = TestPki.create(dir);
        writeCrl(pki, new CrlBuilder(pki.pki().ca()));
        String policy = Policies.WITH_ADMIN.replace("clientCa: [ca.pem] }", "clientCa: [ca.pem], crl: [ca.crl] }");
        try (GatewayFixture fixture = GatewayFixture.start(pki, policy, Map.of(), CRL_CHECKED_OFTEN)) {
            IssuedCertificate auditor = pki.pki().operator("auditor");
            CountingTrust serverChecks = new CountingTrust(pki.pki().ca().certificate());
            SSLContext saved = context(auditor, serverChecks);
            for (int i = 0; i < 2; i++) {
                try (SSLSocket socket = connect(saved, fixture.adminPort(), version)) {
                    assertThat(get(socket, "/admin/status")).isEqualTo(200);
                }
            }
            assertThat(serverChecks.count())
                    .as("the second handshake resumed the saved session")
                    .isEqualTo(1);

            writeCrl(pki, new CrlBuilder(pki.pki().ca()).revoke(auditor.certificate()));
            await("the admin listener reloads the CRL")
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            statusOrRefused(pki.clientContext(auditor), fixture.adminPort(), version, "/admin/status")
                                    == -1);

            assertThat(statusOrRefused(saved, fixture.adminPort(), version, "/admin/status"))
                    .as("the saved session of the revoked operator certificate")
                    .isEqualTo(-1);
        }
    }

    /** The status of a GET, or -1 when the handshake fails or the connection closes without one. */
    private static int statusOrRefused(SSLContext context, int port, String version) {
        return statusOrRefused(context, port, version, "/datasets/a");
    }

    private static int statusOrRefused(SSLContext context, int port, String version, String path) {
        try (SSLSocket socket = connect(context, port, version)) {
            return get(socket, path);
        } catch (IOException e) {
            return -1;
        }
    }

    private static SSLSocket connect(SSLContext context, int port, String version) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {version});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static int get(SSLSocket socket) throws IOException {
        return get(socket, "/datasets/a");
    }

    private static int get(SSLSocket socket, String path) throws IOException {
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        StringBuilder status = new StringBuilder();
        int b;
        while ((b = socket.getInputStream().read()) >= 0 && b != '\n') {
            status.append((char) b);
        }
        if (status.length() == 0) {
            throw new IOException("closed without a response");
        }
        int code = Integer.parseInt(status.toString().split(" ")[1]);
        // read the rest of the answer, so that a TLS 1.3 ticket sent after the handshake is taken in
        byte[] rest = new byte[8192];
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        socket.setSoTimeout(200);
        try {
            while (System.nanoTime() < deadline && socket.getInputStream().read(rest) >= 0) {
                // drain
            }
        } catch (java.net.SocketTimeoutException e) {
            // nothing more for now
        } finally {
            socket.setSoTimeout(10_000);
        }
        return code;
    }

    private static SSLContext context(IssuedCertificate client, X509ExtendedTrustManager trust) throws Exception {
        char[] password = "test".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(client.toKeyStore(password), password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), new javax.net.ssl.TrustManager[] {trust}, null);
        return context;
    }

    private static void writeCrl(TestPki pki, CrlBuilder builder) throws IOException {
        Path temp = pki.dir().resolve("ca.crl.tmp");
        Files.writeString(temp, CrlBuilder.pem(builder.build()));
        Files.move(
                temp, pki.dir().resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Trusts the test CA and counts how often the server's certificate is checked: once per full handshake. */
    private static final class CountingTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final AtomicInteger checks = new AtomicInteger();

        CountingTrust(X509Certificate ca) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            delegate = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        }

        int count() {
            return checks.get();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
