package dev.vendorgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The certificates work for what they are for: a mutual TLS handshake with the JDK. */
class MutualTlsTest {

    private static SSLContext context(IssuedCertificate own, IssuedCertificate ca) throws Exception {
        char[] password = "p".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own.toKeyStore(password), password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @Test
    void vendorAndServerCertificatesCompleteAMutualHandshake() throws Exception {
        DevPki pki = DevPki.create("lab.example");
        SSLContext server = context(pki.server("localhost", "127.0.0.1"), pki.ca());
        SSLContext client = context(pki.vendorClient("acme", null), pki.ca());
        try (SSLServerSocket listener = (SSLServerSocket)
                server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    InputStream in = accepted.getInputStream();
                    int b = in.read();
                    accepted.getOutputStream().write(b);
                    return accepted.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket =
                    (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(42);
                out.flush();
                assertThat(socket.getInputStream().read()).isEqualTo(42);
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("CN=acme,OU=acme,O=vendors");
        }
    }
}
