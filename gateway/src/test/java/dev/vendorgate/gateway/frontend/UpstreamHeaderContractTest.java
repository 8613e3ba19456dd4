package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestUpstream;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upstream header contract end to end, over real mTLS and both protocols: what a vendor
 * claims about its certificate, its address, the method or the target never reaches the
 * upstream; on a route with {@code forwardClientCert} the upstream gets the certificate the
 * handshake verified, in RFC 9440 form, and only that one.
 */
class UpstreamHeaderContractTest {

    /** Headers upstream software reads as identity, address, certificate, method or target. */
    private static final List<String> CLAIMS = List.of(
            "Client-Cert",
            "Client-Cert-Chain",
            "X-HTTP-Method-Override",
            "X-HTTP-Method",
            "X-Method-Override",
            "X-Original-Method",
            "X-Original-URL",
            "X-Rewrite-URL",
            "X-SSL-Client-Cert",
            "X-Client-Cert",
            "SSL-Client-Cert",
            "X-Forwarded-Client-Cert",
            "X-ARR-ClientCert",
            "CF-Connecting-IP",
            "True-Client-IP",
            "X-Client-IP",
            "X-Cluster-Client-IP",
            "X-Remote-User",
            "X-Envoy-Original-Path",
            "Proxy",
            "Early-Data",
            "Via");

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static IssuedCertificate acme;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                dir,
                Policies.TWO_VENDORS
                        .replace(
                                "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n",
                                "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n"
                                        + "  - { id: certified, pathPrefix: /certified, methods: [GET], upstream: data, "
                                        + "forwardClientCert: true }\n")
                        .replace(
                                "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                                "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead, certified]"));
        acme = fixture.pki().vendor("acme", "pipeline-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static TestUpstream.Received send(HttpClient.Version version, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path)).header("X-Trace", "keep-me");
        for (String claim : CLAIMS) {
            request.header(
                    claim,
                    claim.startsWith("Client-Cert")
                            ? ":"
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    "forged".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                                    + ":"
                            : "claimed");
        }
        HttpResponse<String> response =
                fixture.client(acme, version).send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fixture.upstream().received().stream()
                .filter(r -> r.uri().equals(path))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void vendorClaimsNeverReachTheUpstream(HttpClient.Version version) throws Exception {
        TestUpstream.Received seen = send(version, "/datasets/claims-" + version);

        for (String claim : CLAIMS) {
            assertThat(seen.headers().contains(claim)).as(claim).isFalse();
        }
        assertThat(seen.headers().get("x-trace")).isEqualTo("keep-me");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void onARouteThatAsksTheUpstreamGetsTheVerifiedCertificate(HttpClient.Version version) throws Exception {
        TestUpstream.Received seen = send(version, "/certified/x-" + version);

        List<String> values = seen.headers().getAll("client-cert");
        assertThat(values).hasSize(1);
        String value = values.get(0);
        assertThat(value).startsWith(":").endsWith(":");
        byte[] der = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
        X509Certificate forwarded = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        assertThat(forwarded).isEqualTo(acme.certificate());
        assertThat(seen.headers().contains("client-cert-chain")).isFalse();
        for (String claim : CLAIMS) {
            if (!claim.toLowerCase(Locale.ROOT).equals("client-cert")) {
                assertThat(seen.headers().contains(claim)).as(claim).isFalse();
            }
        }
    }
}
