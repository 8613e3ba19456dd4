package dev.vendorgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path dir;

    private final DevPki pki = DevPki.create("lab.example");

    private static void validate(List<X509Certificate> path, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    }

    @Test
    void vendorCertificateChainsToItsCaAndNotToAnother() throws Exception {
        IssuedCertificate acme = pki.vendorClient("acme", "etl-1");

        validate(List.of(acme.certificate()), pki.ca().certificate());
        X509Certificate other = DevPki.create("lab.example").ca().certificate();
        assertThatThrownBy(() -> validate(List.of(acme.certificate()), other))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void vendorCertificateCarriesItsSpiffeIdAndClientAuth() throws Exception {
        X509Certificate acme = pki.vendorClient("acme", "etl-1").certificate();

        assertThat(acme.getSubjectAlternativeNames())
                .containsExactly(List.of(6, "spiffe://lab.example/vendor/acme/etl-1"));
        assertThat(acme.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(acme.getBasicConstraints()).isEqualTo(-1);
        assertThat(acme.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(acme.getSubjectX500Principal().getName()).isEqualTo("CN=etl-1,OU=acme,O=vendors");
    }

    @Test
    void serverCertificateHasDnsAndIpNames() throws Exception {
        X509Certificate server = pki.server("localhost", "127.0.0.1", "::1").certificate();

        assertThat(server.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(
                        List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    }

    @Test
    void caAndIntermediateAreCas() throws Exception {
        DevPki vendorCa = pki.intermediate("acme");
        IssuedCertificate leaf = vendorCa.vendorClient("acme", null);

        assertThat(pki.ca().certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(vendorCa.ca().certificate().getBasicConstraints()).isEqualTo(0);
        validate(
                List.of(leaf.certificate(), vendorCa.ca().certificate()),
                pki.ca().certificate());
        assertThat(leaf.chain()).hasSize(3);
    }

    @Test
    void keyTypesAndSignaturesAreAsAsked() {
        IssuedCertificate rsa = new CertificateBuilder()
                .subject("CN=r")
                .keyType(KeyType.RSA_3072)
                .buildIssuedBy(pki.ca());
        IssuedCertificate sha1 = new CertificateBuilder()
                .subject("CN=s")
                .signatureAlgorithm("SHA1withECDSA")
                .buildIssuedBy(pki.ca());

        assertThat(((RSAPublicKey) rsa.certificate().getPublicKey())
                        .getModulus()
                        .bitLength())
                .isEqualTo(3072);
        assertThat(sha1.certificate().getSigAlgName()).isEqualTo("SHA1withECDSA");
    }

    @Test
    void pemRoundTripsAndKeysArePrivate() throws Exception {
        IssuedCertificate acme = pki.vendorClient("acme", null);
        acme.writePem(dir.resolve("acme.pem"), dir.resolve("acme.key"));

        assertThat(Pem.readCertificates(dir.resolve("acme.pem"))).containsExactly(acme.certificate());
        assertThat(Pem.readPrivateKey(dir.resolve("acme.key"))).isEqualTo(acme.privateKey());
        assertThat(Files.readString(dir.resolve("acme.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(dir.resolve("acme.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void pkcs12LoadsWithTheJdkAndHoldsAMatchingKey() throws Exception {
        IssuedCertificate acme = pki.vendorClient("acme", null);
        char[] password = "secret".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new java.io.ByteArrayInputStream(acme.toPkcs12(password, "acme")), password);

        java.security.PrivateKey key = (java.security.PrivateKey) store.getKey("acme", password);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(acme.certificate());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void crlListsTheRevokedSerialAndVerifiesWithTheCa() throws Exception {
        IssuedCertificate acme = pki.vendorClient("acme", null);
        X509CRL crl = new CrlBuilder(pki.ca()).revoke(acme.certificate()).build();

        crl.verify(pki.ca().certificate().getPublicKey());
        assertThat(crl.isRevoked(acme.certificate())).isTrue();
        assertThat(crl.isRevoked(pki.vendorClient("globex", null).certificate()))
                .isFalse();
        assertThat(crl.getRevokedCertificate(acme.certificate().getSerialNumber()))
                .isNotNull();
        assertThat(acme.certificate().getSerialNumber()).isGreaterThan(BigInteger.ZERO);
    }

    @Test
    void loadReadsBackWhatWriteCaWrote() throws Exception {
        pki.writeCa(dir);

        DevPki loaded = DevPki.load(dir);

        assertThat(loaded.ca().certificate()).isEqualTo(pki.ca().certificate());
        assertThat(loaded.trustDomain()).isEqualTo("lab.example");
        validate(
                List.of(loaded.vendorClient("acme", null).certificate()),
                pki.ca().certificate());
    }

    @Test
    void badIdsAreRefused() {
        assertThatThrownBy(() -> pki.vendorClient("Acme", null)).hasMessageContaining("vendor id 'Acme'");
        assertThatThrownBy(() -> pki.vendorClient("acme", "a/b")).hasMessageContaining("client id 'a/b'");
        assertThatThrownBy(() -> DevPki.create("Lab Example")).hasMessageContaining("trust domain");
    }

    @Test
    void readingGarbageNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("bad.pem"), "hello");
        Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("bad.pem"))).hasMessageContaining("bad.pem");
        assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve("bad.pem"))).hasMessageContaining("bad.pem");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("empty.pem"))).hasMessageContaining("empty");
        assertThatThrownBy(() -> Pem.readCrl(dir.resolve("none.pem"))).hasMessageContaining("file not found");
    }
}
