package dev.vendorgate.gateway.frontend;

import static dev.vendorgate.gateway.frontend.VendorProxyTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.certs.KeyType;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which certificates get in and as whom: identity rules of each kind, vendor-pinned CAs, and the
 * certificate rules the gateway adds to plain chain validation.
 */
class IdentityTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static DevPki acmeCa;
    static DevPki globexCa;
    static IssuedCertificate bySubject;

    @BeforeAll
    static void start() {
        TestPki pki = TestPki.create(dir);
        acmeCa = pki.pki().intermediate("acme");
        globexCa = pki.pki().intermediate("globex");
        pki.write(acmeCa.ca(), "acme-ca");
        pki.write(globexCa.ca(), "globex-ca");
        bySubject = new CertificateBuilder()
                .subject("CN=robot,OU=labelling,O=Initech")
                .clientAuth()
                .buildIssuedBy(pki.pki().ca());
        String policy = """
                version: 1
                listeners:
                  vendor:
                    bind: "127.0.0.1:0"
                    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }
                upstreams:
                  data: { url: "http://127.0.0.1:${UPSTREAM_PORT}" }
                routes:
                  - { id: read, pathPrefix: /datasets, methods: [GET], upstream: data }
                vendors:
                  - id: acme
                    identities: [ { spiffe: "spiffe://lab.example/vendor/acme" } ]
                    pinnedCa: [acme-ca.pem]
                    routes: [read]
                  - id: globex
                    identities: [ { spiffe: "spiffe://lab.example/vendor/globex" } ]
                    pinnedCa: [globex-ca.pem]
                    routes: [read]
                  - id: initech
                    identities: [ { subject: { O: Initech, OU: labelling } } ]
                    routes: [read]
                  - id: hooli
                    identities: [ { sha256: "${HOOLI_SHA256}" } ]
                    routes: [read]
                """;
        IssuedCertificate hooli = pki.pki().vendorClient("hooli-unlisted", null);
        fixture = GatewayFixture.start(
                pki,
                policy,
                Map.of("HOOLI_SHA256", hooli.sha256Fingerprint()),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        hooliCert = hooli;
    }

    static IssuedCertificate hooliCert;

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static HttpResponse<String> get(IssuedCertificate certificate) throws Exception {
        return fixture.get(fixture.client(certificate, HttpClient.Version.HTTP_1_1), "/datasets/x");
    }

    @Test
    void vendorCertificateUnderItsOwnPinnedCaGetsIn() throws Exception {
        HttpResponse<String> response = get(acmeCa.vendorClient("acme", "worker-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(fixture.upstream().received())
                .anyMatch(r -> "spiffe://lab.example/vendor/acme/worker-1"
                        .equals(r.headers().get("x-gateway-client")));
    }

    @Test
    void vendorCertificateChainedToAnotherVendorsCaIsRefused() throws Exception {
        // globex's CA issues a certificate claiming to be acme: trusted by the listener, refused by acme's pin
        IssuedCertificate impostor = globexCa.vendorClient("acme", null);

        assertProblem(get(impostor), 403, "vendor-ca-mismatch");
    }

    @Test
    void vendorCertificateIssuedStraightByTheRootIsRefusedWhenTheVendorPinsItsCa() throws Exception {
        IssuedCertificate direct = fixture.pki().vendor("acme", null);

        assertProblem(get(direct), 403, "vendor-ca-mismatch");
    }

    @Test
    void subjectRuleMatchesOnTheListedAttributes() throws Exception {
        assertThat(get(bySubject).statusCode()).isEqualTo(200);
        assertThat(fixture.upstream().received())
                .anyMatch(r -> "initech".equals(r.headers().get("x-gateway-vendor"))
                        && "CN=robot,OU=labelling,O=Initech".equals(r.headers().get("x-gateway-client")));
    }

    @Test
    void fingerprintRuleMatchesExactlyThatCertificate() throws Exception {
        assertThat(get(hooliCert).statusCode()).isEqualTo(200);
        // the same identity in a new certificate is a different fingerprint
        assertProblem(get(fixture.pki().vendor("hooli-unlisted", null)), 403, "unknown-identity");
    }

    @Test
    void spiffeRulesMatchOnWholeSegmentsOnly() throws Exception {
        IssuedCertificate lookalike = acmeCa.vendorClient("acme-evil", null);

        assertProblem(get(lookalike), 403, "unknown-identity");
    }

    @Test
    void aCertificateWhoseSpiffeIdIsNotValidIdentifiesNoVendor() throws Exception {
        // read as a prefix it is globex's; resolved as a path it is acme's: it must be nobody's
        IssuedCertificate dotDot = new CertificateBuilder()
                .subject("CN=globex")
                .uris("spiffe://lab.example/vendor/globex/../acme")
                .clientAuth()
                .buildIssuedBy(globexCa.ca());
        IssuedCertificate encoded = new CertificateBuilder()
                .subject("CN=globex")
                .uris("spiffe://lab.example/vendor/globex/%2e%2e/acme")
                .clientAuth()
                .buildIssuedBy(globexCa.ca());
        IssuedCertificate trailingSlash = new CertificateBuilder()
                .subject("CN=globex")
                .uris("spiffe://lab.example/vendor/globex/")
                .clientAuth()
                .buildIssuedBy(globexCa.ca());

        assertProblem(get(dotDot), 403, "invalid-spiffe-id");
        assertProblem(get(encoded), 403, "invalid-spiffe-id");
        assertProblem(get(trailingSlash), 403, "invalid-spiffe-id");
        assertThat(get(globexCa.vendorClient("globex", "worker-1")).statusCode())
                .as("a valid globex ID")
                .isEqualTo(200);
    }

    @Test
    void certificateWithoutClientAuthUsageIsRefusedAtTheHandshake() {
        IssuedCertificate serverOnly = new CertificateBuilder()
                .subject("CN=acme")
                .uris("spiffe://lab.example/vendor/acme")
                .serverAuth()
                .buildIssuedBy(acmeCa.ca());

        assertThatThrownBy(() -> get(serverOnly)).isInstanceOf(IOException.class);
    }

    @Test
    void expiredCertificateIsRefusedAtTheHandshake() {
        IssuedCertificate expired = acmeCa.vendorClient(
                "acme",
                "old",
                new CertificateBuilder()
                        .notBefore(Instant.now().minus(Duration.ofDays(30)))
                        .notAfter(Instant.now().minus(Duration.ofDays(1))));

        assertThatThrownBy(() -> get(expired)).isInstanceOf(IOException.class);
    }

    @Test
    void weakKeysAndSignaturesAreRefusedAtTheHandshake() throws Exception {
        IssuedCertificate rsa1024 =
                acmeCa.vendorClient("acme", "weak", new CertificateBuilder().keyType(KeyType.RSA_1024));
        IssuedCertificate caFlagged = acmeCa.vendorClient("acme", "ca", new CertificateBuilder().forceLeafCa());
        IssuedCertificate sha1 =
                acmeCa.vendorClient("acme", "sha1", new CertificateBuilder().signatureAlgorithm("SHA1withECDSA"));
        IssuedCertificate sound = acmeCa.vendorClient("acme", "sound", new CertificateBuilder());

        assertThatThrownBy(() -> get(rsa1024)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(caFlagged)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(sha1)).isInstanceOf(IOException.class);
        assertThat(get(sound).statusCode())
                .as("the same CA, a sound certificate")
                .isEqualTo(200);
    }
}
