package dev.vendorgate.gateway.testing;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates generated at test time with certs-dev: a CA, the gateway's server certificate
 * (written as ca.pem, server.pem, server.key in the test's folder) and vendor certificates on
 * demand. Nothing is committed; every run has fresh keys.
 */
public final class TestPki {

    public static final String TRUST_DOMAIN = "lab.example";

    private final Path dir;
    private final DevPki pki;
    private final IssuedCertificate server;

    private TestPki(Path dir, DevPki pki, IssuedCertificate server) {
        this.dir = dir;
        this.pki = pki;
        this.server = server;
    }

    public static TestPki create(Path dir) {
        DevPki pki = DevPki.create(TRUST_DOMAIN);
        try {
            pki.writeCa(dir);
            IssuedCertificate server = pki.server("localhost", "127.0.0.1");
            server.writePem(dir.resolve("server.pem"), dir.resolve("server.key"));
            return new TestPki(dir, pki, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same CA and server certificate, written to {@code other} too (several gateways, one PKI). */
    public TestPki at(Path other) {
        try {
            java.nio.file.Files.createDirectories(other);
            pki.writeCa(other);
            server.writePem(other.resolve("server.pem"), other.resolve("server.key"));
            return new TestPki(other, pki, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DevPki pki() {
        return pki;
    }

    public Path dir() {
        return dir;
    }

    public IssuedCertificate server() {
        return server;
    }

    /** A client certificate for {@code vendor} (client may be null). */
    public IssuedCertificate vendor(String vendor, String client) {
        return pki.vendorClient(vendor, client);
    }

    /** Writes a certificate's chain to {@code name}.pem in the test folder and returns the path. */
    public Path write(IssuedCertificate certificate, String name) {
        try {
            Path pem = dir.resolve(name + ".pem");
            certificate.writePem(pem, dir.resolve(name + ".key"));
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SSL context that trusts this PKI's CA and presents {@code client} (null: no client certificate). */
    public SSLContext clientContext(IssuedCertificate client) {
        return clientContext(client, pki.ca().certificate());
    }

    /** An SSL context that trusts {@code trusted} and presents {@code client} (null: none). */
    public static SSLContext clientContext(IssuedCertificate client, X509Certificate trusted) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (client != null) {
                char[] password = "test".toCharArray();
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(client.toKeyStore(password), password);
            }
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a client TLS context", e);
        }
    }

    /** A server SSL context presenting {@code server}, for test servers other than the gateway. */
    public static SSLContext serverContext(IssuedCertificate server, X509Certificate trusted) {
        return clientContext(server, trusted);
    }
}
