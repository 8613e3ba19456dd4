package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawH2Client;
import dev.vendorgate.gateway.testing.RawH2Client.Frame;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestUpstream;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trailers, the header fields after a body, meet the same hygiene as the head, over real mTLS:
 * the gateway's own and identity fields are dropped; fields a trailer must not carry (RFC 9110
 * section 6.5.1: framing, routing, request modifiers, authentication, content processing) are
 * refused with a 400 and the upstream never sees the request end; response trailers lose
 * hop-by-hop and forbidden fields.
 */
class TrailerHygieneTest {

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static IssuedCertificate acme;
    private int seenBefore;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                dir,
                Policies.TWO_VENDORS
                        .replace(
                                "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n",
                                "  - { id: dead, pathPrefix: /dead, methods: [GET], upstream: dead }\n"
                                        + "  - { id: trailers, pathPrefix: /trailers, methods: [GET], upstream: data }\n")
                        .replace(
                                "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]",
                                "routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead, trailers]"));
        acme = fixture.pki().vendor("acme", null);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void mark() {
        seenBefore = fixture.upstream().received().size();
    }

    private List<TestUpstream.Received> received() {
        List<TestUpstream.Received> all = fixture.upstream().received();
        return all.subList(seenBefore, all.size());
    }

    private static String chunked(String path, String trailers) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n" + trailers + "\r\n";
    }

    @Test
    void http1IdentityAndForwardingTrailersAreDropped() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send(chunked(
                    "/annotations/h1-trailers",
                    "X-Checksum: sha256=abc\r\n"
                            + "X-Gateway-Vendor: globex\r\nX-Gateway-Client: spiffe://lab.example/vendor/globex\r\n"
                            + "X-Forwarded-For: 10.0.0.1\r\nX-Request-Id: chosen-by-vendor\r\nForwarded: for=10.0.0.1\r\n"
                            + "X-Real-IP: 10.0.0.1\r\nX-HTTP-Method-Override: DELETE\r\n"));
            RawHttpsClient.Head head = client.readHead();
            client.readBody(head.contentLength());
            assertThat(head.status()).isEqualTo(200);
        }

        TestUpstream.Received seen = received().get(0);
        assertThat(seen.bodyBytes()).isEqualTo(5);
        assertThat(seen.trailers().names()).containsExactly("x-checksum");
        assertThat(seen.trailers().get("x-checksum")).isEqualTo("sha256=abc");
    }

    /** The decoder already drops Content-Length, Transfer-Encoding and Trailer from HTTP/1.1 trailers. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "Authorization: Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig",
                "Proxy-Authorization: Basic eA==",
                "Cookie: session=1",
                "Host: evil.example",
                "Content-Type: text/evil",
                "Content-Encoding: gzip",
                "Content-Range: bytes 0-4/5",
                "TE: trailers",
                "Connection: close",
                "Expect: 100-continue",
                "Max-Forwards: 0",
                "Range: bytes=0-1",
                "If-Match: \"x\"",
                "Cache-Control: no-cache",
                "Upgrade: h2c",
                "Keep-Alive: timeout=1",
                "Client-Cert: :AAAA:",
                "Client-Cert-Chain: :AAAA:",
                "X_Gateway_Vendor: globex"
            })
    void http1ForbiddenTrailerIsRefusedAndTheUpstreamNeverSeesTheRequestEnd(String trailer) throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send(chunked("/annotations/h1-forbidden", "X-Checksum: sha256=abc\r\n" + trailer + "\r\n"));
            RawHttpsClient.Head head = client.readHead();
            String body = new String(client.readBody(head.contentLength()), StandardCharsets.UTF_8);

            assertThat(head.status()).as(body).isEqualTo(400);
            assertThat(head.headers().get("content-type")).isEqualTo("application/problem+json");
            assertThat(body)
                    .contains("urn:vendorgate:problem:bad-request")
                    .doesNotContain("eyJhbGciOiJFUzI1NiJ9"); // the detail names the field, never its value
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(received()).isEmpty();
    }

    private RawH2Client h2() throws Exception {
        RawH2Client client = new RawH2Client(fixture.pki().clientContext(acme), fixture.port());
        client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
        return client;
    }

    /** Sends a POST with a body and then {@code trailers}, and returns the response's :status. */
    private static int postWithTrailers(RawH2Client client, String path, Http2Headers trailers) throws Exception {
        client.headers(1, RawH2Client.request("POST", path), false);
        client.data(1, "hello".getBytes(StandardCharsets.US_ASCII), false);
        client.headers(1, trailers, true);
        Frame response = client.readUntil(f -> f.type() == RawH2Client.HEADERS && f.streamId() == 1
                || f.type() == RawH2Client.RST_STREAM
                || f.type() == RawH2Client.GOAWAY);
        assertThat(response).isNotNull();
        return response.type() == RawH2Client.HEADERS ? client.status(response) : -response.errorCode();
    }

    @Test
    void http2IdentityAndForwardingTrailersAreDropped() throws Exception {
        Http2Headers trailers = new DefaultHttp2Headers(false)
                .add("x-checksum", "sha256=abc")
                .add("x-gateway-vendor", "globex")
                .add("x-forwarded-for", "10.0.0.1")
                .add("x-request-id", "chosen-by-vendor")
                .add("forwarded", "for=10.0.0.1")
                .add("true-client-ip", "10.0.0.1")
                .add("x-http-method-override", "DELETE")
                .add("trailer", "x-checksum")
                .add("x-http2-path", "/datasets/x");
        try (RawH2Client client = h2()) {
            assertThat(postWithTrailers(client, "/annotations/h2-trailers", trailers))
                    .isEqualTo(200);
        }

        TestUpstream.Received seen = received().get(0);
        assertThat(seen.bodyBytes()).isEqualTo(5);
        assertThat(seen.trailers().names()).containsExactly("x-checksum");
    }

    /**
     * Connection-specific fields (transfer-encoding, connection) already reset the stream in
     * Netty's codec; its HTTP/1.1 conversion drops trailer and x-http2-* (see the test above).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "content-length: 5",
                "host: evil.example",
                "authorization: Bearer x",
                "cookie: a=b",
                "content-type: text/evil",
                "te: trailers",
                "client-cert: :AAAA:"
            })
    void http2ForbiddenTrailerIsRefusedAndTheUpstreamNeverSeesTheRequestEnd(String trailer) throws Exception {
        int colon = trailer.indexOf(':');
        Http2Headers trailers = new DefaultHttp2Headers(false)
                .add("x-checksum", "sha256=abc")
                .add(trailer.substring(0, colon), trailer.substring(colon + 1).trim());
        try (RawH2Client client = h2()) {
            assertThat(postWithTrailers(client, "/annotations/h2-forbidden", trailers))
                    .isEqualTo(400);
            // the connection still serves other streams
            client.headers(3, RawH2Client.request("GET", "/datasets/after-trailers"), true);
            Frame next = client.readUntil(f -> f.type() == RawH2Client.HEADERS && f.streamId() == 3);
            assertThat(next).isNotNull();
        }
        assertThat(received()).extracting(TestUpstream.Received::uri).containsExactly("/datasets/after-trailers");
    }

    @Test
    void http1ResponseTrailersLoseHopByHopAndForbiddenFields() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send("GET /trailers/h1 HTTP/1.1\r\nHost: localhost\r\nTE: trailers\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("transfer-encoding")).isEqualTo("chunked");
            RawHttpsClient.Chunked body = client.readChunked();

            assertThat(new String(body.body(), StandardCharsets.US_ASCII)).isEqualTo("with trailers");
            assertThat(body.trailers()).containsExactly(Map.entry("x-checksum", "sha256=abc"));
        }
    }

    @Test
    void http2ResponseTrailersLoseHopByHopAndForbiddenFields() throws Exception {
        try (RawH2Client client = h2()) {
            client.headers(1, RawH2Client.request("GET", "/trailers/h2").add("te", "trailers"), true);
            Frame head = client.readUntil(f -> f.type() == RawH2Client.HEADERS && f.streamId() == 1);
            assertThat(client.status(head)).isEqualTo(200);
            Frame trailers = client.readUntil(f -> f.type() == RawH2Client.HEADERS && f.streamId() == 1);
            assertThat(trailers).isNotNull();
            Map<String, String> fields = client.decode(trailers).names().stream()
                    .map(CharSequence::toString)
                    .collect(Collectors.toMap(n -> n, n -> "x"));

            assertThat(fields.keySet()).containsExactly("x-checksum");
        }
    }
}
