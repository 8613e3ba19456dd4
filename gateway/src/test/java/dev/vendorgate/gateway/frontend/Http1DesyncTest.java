package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.Forwarded;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling and desync shapes over HTTP/1.1, sent as raw bytes on a real mTLS
 * connection. Each must be answered with an error, the connection closed, and nothing reach the
 * upstream: not the request, and not a second request hidden behind it. Shapes from RFC 9112,
 * HAProxy's http-messaging reg-tests and published desync research.
 */
class Http1DesyncTest {

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static IssuedCertificate acme;

    /** A request that, if any byte of it were framed differently, would hide this one. */
    private static final String SMUGGLED = "GET /datasets/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                dir,
                Policies.TWO_VENDORS.replace(
                        "http: { idleTimeout: 30s }",
                        "http: { idleTimeout: 30s, headerTimeout: 1s, maxHeaderCount: 20, maxRequestLineBytes: 512, "
                                + "maxHeaderBytes: 2048 }"));
        acme = fixture.pki().vendor("acme", null);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private int seenBefore;

    @BeforeEach
    void forget() {
        seenBefore = fixture.upstream().received().size();
    }

    /** What the upstream received since the test began, up to a marker request sent after it. */
    private java.util.List<dev.vendorgate.gateway.testing.TestUpstream.Received> received() {
        return Forwarded.since(fixture, acme, seenBefore);
    }

    static Stream<Arguments> shapes() {
        String post = "POST /annotations/a HTTP/1.1\r\nHost: localhost\r\n";
        String get = "GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n";
        return Stream.of(
                shape(
                        "CL and TE together",
                        post + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "TE and CL together",
                        post + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "two different Content-Length",
                        post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                        400),
                shape("two equal Content-Length", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
                shape("Content-Length list", post + "Content-Length: 5, 5\r\n\r\nhello", 400),
                shape("signed Content-Length", post + "Content-Length: +5\r\n\r\nhello", 400),
                shape("Content-Length with junk", post + "Content-Length: 5x\r\n\r\nhello", 400),
                shape("negative Content-Length", post + "Content-Length: -1\r\n\r\n", 400),
                shape("hex Content-Length", post + "Content-Length: 0x5\r\n\r\nhello", 400),
                shape("huge Content-Length", post + "Content-Length: 99999999999999999999\r\n\r\n", 400),
                shape("TE not ending in chunked", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400),
                shape("TE with another coding first", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400),
                shape(
                        "TE twice",
                        post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        400),
                shape("TE unknown", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 400),
                shape(
                        "TE with space before colon",
                        post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "TE folded onto the previous line",
                        post + "X-A: b\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "TE with a vertical tab",
                        post + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "HTTP/1.0 with TE",
                        "POST /annotations/a HTTP/1.0\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                                + "\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape("obs-fold", get + "X-Long: first\r\n\tsecond\r\n\r\n", 400),
                shape("bare LF line ends", "GET /datasets/a HTTP/1.1\nHost: localhost\n\n", 400),
                shape("bare CR in a value", get + "X-A: a\rb\r\n\r\n", 400),
                shape("NUL in a value", get + "X-A: a\u0000b\r\n\r\n", 400),
                shape("control byte in a value", get + "X-A: a\u0001b\r\n\r\n", 400),
                shape("DEL in a value", get + "X-A: a\u007fb\r\n\r\n", 400),
                shape("space in a header name", get + "X A: b\r\n\r\n", 400),
                shape("empty header name", get + ": b\r\n\r\n", 400),
                shape("underscore header name", get + "X_Gateway_Vendor: globex\r\n\r\n", 400),
                shape("no Host", "GET /datasets/a HTTP/1.1\r\n\r\n", 400),
                shape("two Host headers", get + "Host: other\r\n\r\n", 400),
                shape("Host with user info", "GET /datasets/a HTTP/1.1\r\nHost: user@localhost\r\n\r\n", 400),
                shape("Host with a path", "GET /datasets/a HTTP/1.1\r\nHost: localhost/x\r\n\r\n", 400),
                shape("space in the target", "GET /datasets/a b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
                shape("absolute-form target", "GET http://other/datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
                shape("asterisk-form target", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
                shape("authority-form target", "CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
                shape("bad version", "GET /datasets/a HTTP/9\r\nHost: localhost\r\n\r\n", 400),
                shape("junk before the request line", "\u0001GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
                shape("too many headers", get + "X-A: 1\r\n".repeat(25) + "\r\n", 431),
                shape("header block too large", get + "X-A: " + "a".repeat(3000) + "\r\n\r\n", 431),
                shape(
                        "request line too long",
                        "GET /datasets/" + "a".repeat(600) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
                        414),
                shape(
                        "bad chunk size",
                        post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "chunk size overflow",
                        post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "chunk size with a sign",
                        post + "Transfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                shape(
                        "chunk data longer than its size",
                        post + "Transfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n" + SMUGGLED,
                        400));
    }

    private static Arguments shape(String name, String bytes, int status) {
        return Arguments.of(name, bytes, status);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void refusedClosedAndNothingForwarded(String name, String bytes, int status) throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.output().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            client.output().flush();
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).as(name).isEqualTo(status);
            String body = new String(client.readBody(head.contentLength()), StandardCharsets.UTF_8);
            assertThat(body)
                    .as("a problem body that echoes nothing sent")
                    .contains("\"status\":" + status)
                    .doesNotContain("smuggled", "globex");
            assertThat(client.closedByServer()).as(name + ": connection closed").isTrue();
        }
        assertThat(received()).as(name + ": what the upstream saw").isEmpty();
    }

    @Test
    void aHeadTricklingInSlowerThanTheHeaderTimeoutGets408() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            long start = System.nanoTime();
            client.send("GET /datasets/a HTTP/1.1\r\nHost: local");
            // the client trickles: more bytes 400 ms later, but no end of head within 1s
            CompletableFuture.runAsync(
                    () -> {
                        try {
                            client.send("host\r\nX-A: 1\r\n");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(408);
            client.readBody(head.contentLength());
            assertThat(client.closedByServer()).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(900_000_000L);
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void anIdleKeepAliveConnectionIsNotCutByTheHeaderTimeout() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head first = client.readHead();
            client.readBody(first.contentLength());
            // idle for longer than the header timeout (1s), shorter than the idle timeout: the gateway keeps it
            await("the idle connection stays open")
                    .during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.gateway().state().connections().count("acme") >= 1);
            client.send("GET /datasets/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.readHead().status()).isEqualTo(200);
        }
    }

    @Test
    void whatIsForwardedIsTheCanonicalTargetWithNoRawSpaceOrLineBreak() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send("GET /datasets/./a%20b/../c%20d?q=%0d%0a HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
        }
        assertThat(received())
                .singleElement()
                .satisfies(r -> assertThat(r.uri())
                        .isEqualTo("/datasets/c%20d?q=%0d%0a")
                        .doesNotContain(" ", "\r", "\n"));
    }

    @Test
    void underscoreHeadersCanBeDroppedInstead(@TempDir Path other) throws Exception {
        try (GatewayFixture dropping = GatewayFixture.start(
                other,
                Policies.TWO_VENDORS.replace(
                        "http: { idleTimeout: 30s }", "http: { idleTimeout: 30s, underscoreHeaders: drop }"))) {
            IssuedCertificate client = dropping.pki().vendor("acme", null);
            try (RawHttpsClient raw = new RawHttpsClient(dropping.pki().clientContext(client), dropping.port())) {
                raw.send(
                        "GET /datasets/a HTTP/1.1\r\nHost: localhost\r\nX_Gateway_Vendor: globex\r\nX-Kept: 1\r\n\r\n");
                assertThat(raw.readHead().status()).isEqualTo(200);
            }
            assertThat(dropping.upstream().received()).singleElement().satisfies(r -> {
                assertThat(r.headers().names()).noneMatch(n -> n.contains("_"));
                assertThat(r.headers().get("X-Kept")).isEqualTo("1");
                assertThat(r.headers().get("X-Gateway-Vendor")).isEqualTo("acme");
            });
        }
    }
}
