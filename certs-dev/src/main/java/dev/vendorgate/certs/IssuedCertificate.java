package dev.vendorgate.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate with its private key and chain, as a development PKI hands it out.
 *
 * @param certificate the certificate
 * @param privateKey its private key
 * @param chain this certificate followed by its issuers up to the root
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
    }

    /** The certificate alone, PEM. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** The certificate and its intermediates (not a self-signed root), PEM: what a TLS peer sends. */
    public String chainPem() {
        StringBuilder out = new StringBuilder();
        for (X509Certificate element : chain) {
            boolean selfSigned = element.getSubjectX500Principal().equals(element.getIssuerX500Principal());
            if (element == certificate || !selfSigned) {
                out.append(pem(element));
            }
        }
        return out.toString();
    }

    /** The private key as PEM PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
    }

    /** Writes the chain to {@code certFile} and the key (mode 600 where supported) to {@code keyFile}. */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        Pem.writeString(certFile, chainPem(), false);
        Pem.writeString(keyFile, privateKeyPem(), true);
    }

    /** A PKCS#12 file holding the key and chain. */
    public byte[] toPkcs12(char[] password, String alias) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, privateKey, password, chain.toArray(new X509Certificate[0]));
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build PKCS#12", e);
        }
    }

    /** An in-memory PKCS#12 key store with the key and chain under alias {@code key}. */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", privateKey, password, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store", e);
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding, without separators. */
    public String sha256Fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public X500Principal subject() {
        return certificate.getSubjectX500Principal();
    }

    static String pem(X509Certificate certificate) {
        try {
            return Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
