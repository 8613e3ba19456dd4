package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawH2Client;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 9113, 5.1.1: a client stream identifier lower than one already used is a connection error. */
class Http2StreamOrderTest {

    @TempDir
    Path dir;

    @Test
    void aStreamOpenedBelowAnEarlierOneEndsTheConnectionWithProtocolError() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS);
                RawH2Client client = new RawH2Client(
                        fixture.pki().clientContext(fixture.pki().vendor("acme", null)), fixture.port())) {
            client.headers(5, RawH2Client.request("GET", "/datasets/five"), true);
            RawH2Client.Frame five = client.readUntil(f -> f.streamId() == 5 && f.type() == RawH2Client.HEADERS);
            assertThat(five).isNotNull();
            assertThat(client.status(five)).isEqualTo(200);

            client.headers(3, RawH2Client.request("GET", "/datasets/three"), true);
            RawH2Client.Frame goaway = client.readUntil(f -> f.type() == RawH2Client.GOAWAY);

            assertThat(goaway).as("a connection error, not a stream reset").isNotNull();
            assertThat(ByteBuffer.wrap(goaway.payload(), 4, 4).getInt())
                    .as("PROTOCOL_ERROR")
                    .isEqualTo(1);
            assertThat(fixture.upstream().received()).noneMatch(r -> r.uri().equals("/datasets/three"));
        }
    }

    @Test
    void trailersOnAnOpenStreamAndInterleavedStreamsStillWork() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS);
                RawH2Client client = new RawH2Client(
                        fixture.pki().clientContext(fixture.pki().vendor("acme", null)), fixture.port())) {
            client.headers(1, RawH2Client.request("POST", "/annotations/a"), false);
            client.headers(3, RawH2Client.request("POST", "/annotations/b"), false);
            client.data(1, "one".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
            client.headers(1, new io.netty.handler.codec.http2.DefaultHttp2Headers().add("x-note", "end"), true);
            client.data(3, "three".getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);

            int answered = 0;
            for (int i = 0; i < 2; i++) {
                RawH2Client.Frame headers =
                        client.readUntil(f -> f.type() == RawH2Client.HEADERS || f.type() == RawH2Client.GOAWAY);
                assertThat(headers).isNotNull();
                assertThat(headers.type()).as("no connection error").isEqualTo(RawH2Client.HEADERS);
                assertThat(client.status(headers)).isLessThan(300);
                answered++;
            }
            assertThat(answered).isEqualTo(2);
        }
    }
}
