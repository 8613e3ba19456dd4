package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.Forwarded;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawH2Client;
import dev.vendorgate.gateway.testing.RawH2Client.Frame;
import dev.vendorgate.gateway.testing.TestUpstream;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 abuse, frame by frame: each attack ends the offending stream or connection, the
 * upstream sees no request that was not whole and valid, and the gateway keeps serving others.
 */
class Http2AbuseTest {

    private static final int PROTOCOL_ERROR = 0x1;
    private static final int REFUSED_STREAM = 0x7;
    private static final int CANCEL = 0x8;
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static IssuedCertificate acme;
    private int seenBefore;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(
                dir,
                Policies.TWO_VENDORS.replace(
                        "http: { idleTimeout: 30s }",
                        "http: { idleTimeout: 30s, maxConcurrentStreams: 8, maxHeaderBytes: 4096 }"));
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

    /** What the upstream received since the test began, up to a marker request sent after it. */
    private List<TestUpstream.Received> received() {
        return Forwarded.since(fixture, acme, seenBefore);
    }

    private RawH2Client connect() throws Exception {
        return new RawH2Client(fixture.pki().clientContext(acme), fixture.port());
    }

    /** The gateway still serves a normal client afterwards. */
    private void stillServes() throws Exception {
        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_2), "/datasets/after")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void advertisesItsStreamAndHeaderLimits() throws Exception {
        try (RawH2Client client = connect()) {
            Frame settings = client.readUntil(f -> f.type() == RawH2Client.SETTINGS && (f.flags() & 1) == 0);
            assertThat(settings).isNotNull();
            ByteBuffer b = ByteBuffer.wrap(settings.payload());
            java.util.Map<Integer, Long> values = new java.util.HashMap<>();
            while (b.remaining() >= 6) {
                values.put((int) b.getShort() & 0xffff, b.getInt() & 0xffffffffL);
            }
            assertThat(values)
                    .containsEntry(SETTINGS_MAX_CONCURRENT_STREAMS, 8L)
                    .containsEntry(SETTINGS_MAX_HEADER_LIST_SIZE, 4096L);
        }
    }

    @Test
    void streamsBeyondTheLimitAreRefused() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            for (int i = 0; i < 10; i++) {
                client.headers(1 + 2 * i, RawH2Client.request("GET", "/hang/" + i), true);
            }
            Frame refused = client.readUntil(f -> f.type() == RawH2Client.RST_STREAM || f.type() == RawH2Client.GOAWAY);
            assertThat(refused).isNotNull();
            assertThat(refused.errorCode()).isIn(REFUSED_STREAM, PROTOCOL_ERROR);
        }
        stillServes();
    }

    @Test
    void rapidResetEndsTheConnection() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            int stream = 1;
            Frame goAway = null;
            try {
                for (int i = 0; i < 400; i++, stream += 2) {
                    client.headers(stream, RawH2Client.request("GET", "/hang/r"), true);
                    client.rst(stream, 0x8); // CANCEL
                }
            } catch (java.io.IOException closed) {
                // the gateway may close while we are still writing
            }
            goAway = client.readUntil(f -> f.type() == RawH2Client.GOAWAY);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
        stillServes();
    }

    @Test
    void aContinuationFloodEndsTheConnection() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            byte[] head = client.encode(1, RawH2Client.request("GET", "/datasets/c"));
            client.frame(RawH2Client.HEADERS, RawH2Client.END_STREAM, 1, head); // no END_HEADERS
            try {
                byte[] junk = new byte[] {0x40, 0x01, 'x', 0x01, 'y'}; // literal header x: y, again and again
                for (int i = 0; i < 5000; i++) {
                    client.frame(RawH2Client.CONTINUATION, 0, 1, junk);
                }
            } catch (java.io.IOException closed) {
                // closed while we were still flooding
            }
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(received()).isEmpty();
        stillServes();
    }

    @Test
    void anEmptyDataFrameFloodEndsTheConnection() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            client.headers(1, RawH2Client.request("POST", "/annotations/e"), false);
            try {
                for (int i = 0; i < 1000; i++) {
                    client.data(1, new byte[0], false);
                }
            } catch (java.io.IOException closed) {
                // closed while we were still flooding
            }
            Frame goAway = client.readUntil(f -> f.type() == RawH2Client.GOAWAY);
            assertThat(goAway).isNotNull();
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(received()).isEmpty();
        stillServes();
    }

    @Test
    void moreDataThanContentLengthIsAStreamErrorAndNothingIsForwardedWhole() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            Http2Headers headers =
                    RawH2Client.request("POST", "/annotations/cl").set("content-length", "5");
            client.headers(1, headers, false);
            client.data(1, "hello, and more".getBytes(), true);
            Frame reset = client.readUntil(
                    f -> f.type() == RawH2Client.RST_STREAM && f.streamId() == 1 || f.type() == RawH2Client.GOAWAY);
            assertThat(reset).isNotNull();
            // Netty's content-length check resets the stream; the request handler may close it first (CANCEL)
            assertThat(reset.errorCode()).isIn(PROTOCOL_ERROR, CANCEL);
        }
        assertThat(received()).noneMatch(r -> r.uri().startsWith("/annotations/cl"));
    }

    @Test
    void malformedRequestHeadersAreRefused() throws Exception {
        List<Http2Headers> malformed = List.of(
                new io.netty.handler.codec.http2.DefaultHttp2Headers(false)
                        .method("GET")
                        .scheme("https")
                        .authority("localhost"), // no :path
                RawH2Client.request("GET", "/datasets/u").add("X-Upper", "1"),
                RawH2Client.request("GET", "/datasets/c").add("connection", "keep-alive"),
                RawH2Client.request("GET", "/datasets/t").add("te", "gzip"),
                RawH2Client.request("GET", "/datasets/p").add(":unknown", "x"),
                // values that would split a head once written as HTTP/1.1 to the upstream
                RawH2Client.request("GET", "/datasets/r").add("x-note", "a\r\nx-injected: 1"),
                RawH2Client.request("GET", "/datasets/l").add("x-note", "a\nx-injected: 1"),
                RawH2Client.request("GET", "/datasets/n").add("x-note", "a\0b"),
                RawH2Client.request("GET", "/datasets/s").add("x-bad name", "1"));
        for (Http2Headers headers : malformed) {
            try (RawH2Client client = connect()) {
                client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
                client.headers(1, headers, true);
                Frame answer = client.readUntil(f -> f.type() == RawH2Client.RST_STREAM
                        || f.type() == RawH2Client.GOAWAY
                        || f.type() == RawH2Client.HEADERS);
                assertThat(answer).as(headers.toString()).isNotNull();
                if (answer.type() == RawH2Client.HEADERS) {
                    assertThat(client.status(answer)).as(headers.toString()).isEqualTo(400);
                } else {
                    assertThat(answer.errorCode()).as(headers.toString()).isIn(PROTOCOL_ERROR, CANCEL);
                }
            }
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void authorityAndHostThatDisagreeAreRefused() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            client.headers(1, RawH2Client.request("GET", "/datasets/h").add("host", "other.example"), true);
            Frame answer = client.readUntil(f -> f.type() == RawH2Client.HEADERS || f.type() == RawH2Client.RST_STREAM);
            assertThat(answer).isNotNull();
            if (answer.type() == RawH2Client.HEADERS) {
                assertThat(client.status(answer)).isEqualTo(400);
            } else {
                assertThat(answer.errorCode()).isIn(PROTOCOL_ERROR, CANCEL);
            }
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void aStreamResetByTheClientCancelsItsUpstreamRequest() throws Exception {
        try (RawH2Client client = connect()) {
            client.readUntil(f -> f.type() == RawH2Client.SETTINGS);
            client.headers(1, RawH2Client.request("GET", "/hang/cancel"), true);
            await("the request is in flight")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.gateway().state().inFlight() > 0);
            assertThat(fixture.gateway().state().inFlight()).isEqualTo(1);
            client.rst(1, 0x8);
            await("the exchange ended with the stream")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> fixture.gateway().state().inFlight() == 0);
        }
    }
}
