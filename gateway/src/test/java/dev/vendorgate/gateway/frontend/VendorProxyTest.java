package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TestUpstream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The vendor listener end to end: real mTLS, a real upstream, the policy deciding. */
class VendorProxyTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static IssuedCertificate acme;
    static IssuedCertificate globex;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS);
        acme = fixture.pki().vendor("acme", "pipeline-1");
        globex = fixture.pki().vendor("globex", null);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void allowedVendorGetsTheUpstreamsBytesOverBothProtocols(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, version), "/datasets/images/part-1?page=2");

        assertThat(response.version()).isEqualTo(version);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok GET /datasets/images/part-1?page=2");
        assertThat(response.headers().firstValue("x-request-id"))
                .get()
                .asString()
                .hasSize(26);
        TestUpstream.Received seen = last("/datasets/images/part-1?page=2");
        assertThat(seen.headers().get("x-gateway-vendor")).isEqualTo("acme");
        assertThat(seen.headers().get("x-gateway-client")).isEqualTo("spiffe://lab.example/vendor/acme/pipeline-1");
        assertThat(seen.headers().get("x-gateway-cert-sha256")).isEqualTo(acme.sha256Fingerprint());
        assertThat(seen.headers().get("x-gateway-route")).isEqualTo("dataset-read");
        assertThat(seen.headers().get("x-request-id"))
                .isEqualTo(response.headers().firstValue("x-request-id").get());
        assertThat(seen.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.headers().get("host"))
                .isEqualTo("127.0.0.1:" + fixture.upstream().port());
    }

    @Test
    void hopByHopHeadersOfTheUpstreamAreNotPassedOn() throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/x");

        assertThat(response.statusCode()).isEqualTo(200);
        // named in the upstream's Connection header: hop-by-hop, so it stops at the gateway
        assertThat(response.headers().firstValue("x-upstream-secret-hop")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void spoofedIdentityHeadersNeverReachTheUpstream(HttpClient.Version version) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(fixture.uri("/datasets/spoof-" + version))
                .header("X-Gateway-Vendor", "globex")
                .header("X-Gateway-Client", "spiffe://lab.example/vendor/globex")
                .header("X-Gateway-Anything", "evil")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("X-Forwarded-Host", "evil.example")
                .header("Forwarded", "for=10.0.0.1")
                .header("X-Real-IP", "10.0.0.1")
                .header("X-Request-Id", "chosen-by-client")
                .GET()
                .build();

        HttpResponse<String> response =
                fixture.client(globex, version).send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        TestUpstream.Received seen = last("/datasets/spoof-" + version);
        assertThat(seen.headers().getAll("x-gateway-vendor")).containsExactly("globex");
        assertThat(seen.headers().getAll("x-gateway-client")).containsExactly("spiffe://lab.example/vendor/globex");
        assertThat(seen.headers().contains("x-gateway-anything")).isFalse();
        assertThat(seen.headers().getAll("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(seen.headers().contains("x-forwarded-host")).isFalse();
        assertThat(seen.headers().getAll("forwarded")).containsExactly("for=127.0.0.1;proto=https");
        assertThat(seen.headers().contains("x-real-ip")).isFalse();
        assertThat(seen.headers().get("x-request-id"))
                .isNotEqualTo("chosen-by-client")
                .hasSize(26);
    }

    @Test
    void uploadStreamsToTheUpstream() throws Exception {
        byte[] body = new byte[300_000];
        HttpResponse<String> response = fixture.client(acme, HttpClient.Version.HTTP_2)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/annotations/batch-7"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(last("/annotations/batch-7").bodyBytes()).isEqualTo(body.length);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aResponseHeadWhoseBodyIsSlowReachesTheVendorAtOnce(HttpClient.Version version) throws Exception {
        // the gateway writes a small response whole when its body comes in the same read as its head; a head alone
        // must still go out at the end of that read, not wait for a body that may take minutes (the route's idle
        // timeout, 5 s, would cut it first)
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> response = fixture.client(acme, version)
                .sendAsync(
                        HttpRequest.newBuilder(fixture.uri("/datasets/head-then-hang/events"))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                .get(4, java.util.concurrent.TimeUnit.SECONDS);
        try {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        } finally {
            response.body().close();
        }
    }

    @Test
    void bodyLargerThanTheRouteAllowsIsRefusedWith413() throws Exception {
        int before = fixture.upstream().received().size();
        HttpResponse<String> response = fixture.client(acme, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/annotations/too-big"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 413, "payload-too-large");
        assertThat(fixture.upstream().received()).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void routeNotGrantedIs403WithAProblem(HttpClient.Version version) throws Exception {
        int before = fixture.upstream().received().size();
        HttpResponse<String> response = fixture.client(globex, version)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/annotations/batch-1"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 403, "route-not-granted");
        assertThat(response.body()).contains("annotation-write").contains("globex");
        assertThat(fixture.upstream().received()).hasSize(before);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void unknownPathIs404(HttpClient.Version version) throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, version), "/models/weights.bin");

        assertProblem(response, 404, "no-route");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = fixture.client(acme, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/datasets/x"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("allow")).contains("GET, HEAD");
    }

    @Test
    void ambiguousPathIsRefusedWith400() throws Exception {
        HttpResponse<String> response =
                fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/datasets/..%2F..%2Fetc%2Fpasswd");

        assertProblem(response, 400, "invalid-path");
    }

    @Test
    void dotSegmentsAreResolvedBeforeMatchingAndForwarding() throws Exception {
        HttpResponse<String> response = fixture.client(globex, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/datasets/a/../../annotations/x"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        // canonical path is /annotations/x, which globex is not granted (though /datasets/ would be)
        assertProblem(response, 403, "route-not-granted");
    }

    @Test
    void keepAliveCarriesManyRequestsOnOneConnection() throws Exception {
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        long before = fixture.upstream().connections();
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.get(client, "/datasets/k" + i).statusCode()).isEqualTo(200);
        }
        // the gateway pools its upstream connections too
        assertThat(fixture.upstream().connections() - before).isLessThanOrEqualTo(2);
    }

    @Test
    void upstreamRefusingConnectionsIs502() throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/dead/x");

        assertProblem(response, 502, "upstream-unavailable");
    }

    @Test
    void upstreamClosingWithoutAnsweringIs502() throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/close/x");

        assertProblem(response, 502, "upstream-error");
    }

    @Test
    void upstreamHangingIs504WithinTheRequestTimeout() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_2), "/hang/x");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertProblem(response, 504, "upstream-timeout");
        // the policy's request timeout is 1s; the client's own timeout is 20s
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void noClientCertificateFailsTheHandshake() {
        HttpClient client = fixture.client(null, HttpClient.Version.HTTP_1_1);

        assertThatThrownBy(() -> fixture.get(client, "/datasets/anonymous")).isInstanceOf(IOException.class);
        assertThat(fixture.upstream().received()).noneMatch(r -> r.uri().equals("/datasets/anonymous"));
    }

    @Test
    void certificateFromAnUnknownCaFailsTheHandshake() {
        DevPki stranger = DevPki.create(TestPki.TRUST_DOMAIN);
        IssuedCertificate forged = stranger.vendorClient("acme", null);
        HttpClient client = fixture.client(forged, HttpClient.Version.HTTP_1_1);

        assertThatThrownBy(() -> fixture.get(client, "/datasets/forged")).isInstanceOf(IOException.class);
        assertThat(fixture.upstream().received()).noneMatch(r -> r.uri().equals("/datasets/forged"));
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void trustedCertificateOfNoVendorIsRefusedWithAReason(HttpClient.Version version) throws Exception {
        IssuedCertificate unknown = fixture.pki().vendor("initech", null);

        HttpResponse<String> response = fixture.get(fixture.client(unknown, version), "/datasets/x");

        assertProblem(response, 403, "unknown-identity");
    }

    @Test
    void problemBodiesAreProblemJsonWithTheRequestId() throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/nothing");

        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(response.body())
                .isEqualTo("{\"type\":\"urn:vendorgate:problem:no-route\",\"title\":\"No such route\","
                        + "\"status\":404,\"detail\":\"No route matches this path.\",\"requestId\":\"" + id + "\"}");
    }

    private static TestUpstream.Received last(String uri) {
        List<TestUpstream.Received> matching = fixture.upstream().received().stream()
                .filter(r -> r.uri().equals(uri))
                .toList();
        assertThat(matching).as("requests the upstream saw for " + uri).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:vendorgate:problem:" + code + "\"");
        assertThat(response.body()).contains("\"requestId\":\"");
    }
}
