package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream with backpressure: when the vendor stops reading, the gateway stops reading
 * from the upstream instead of buffering the rest, so a large transfer holds only a bounded
 * amount of data in the gateway.
 */
class StreamingTest {

    /** 256 MiB: far more than every socket and gateway buffer on the path together. */
    private static final long SIZE = 256L * 1024 * 1024;
    /** What may legitimately sit in buffers on the path (kernel socket buffers on both hops, a few chunks). */
    private static final long BUFFER_SLACK = 48L * 1024 * 1024;

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static IssuedCertificate acme;

    @BeforeAll
    static void start() {
        fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS);
        acme = fixture.pki().vendor("acme", null);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aStalledDownloadStallsTheUpstreamAndResumesIntact() throws Exception {
        long memoryBefore = usedDirectMemory();
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send("GET /bytes/" + SIZE + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.contentLength()).isEqualTo(SIZE);

            long read = readAndCheck(client.input(), 0, 4 * 1024 * 1024);
            // the vendor stops reading: wait until the upstream has stopped making progress
            long sent = waitForUpstreamToStall();
            assertThat(sent - read)
                    .as("bytes the upstream sent beyond what the vendor read")
                    .isLessThan(BUFFER_SLACK);
            assertThat(sent).isLessThan(SIZE);
            assertThat(usedDirectMemory() - memoryBefore)
                    .as("growth of Netty's direct memory in this JVM")
                    .isLessThan(64L * 1024 * 1024);

            read = readAndCheck(client.input(), read, SIZE - read);
            assertThat(read).isEqualTo(SIZE);
            assertThat(fixture.upstream().bytesSent()).isGreaterThanOrEqualTo(SIZE);
        }
    }

    @Test
    void aLargeUploadIsForwardedWhole() throws Exception {
        long size = 1024 * 1024 - 1; // the route allows 1 MiB
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send("POST /annotations/big HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = client.output();
            byte[] chunk = new byte[8191];
            long remaining = size;
            while (remaining > 0) {
                int n = (int) Math.min(chunk.length, remaining);
                out.write((Integer.toHexString(n) + "\r\n").getBytes());
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes());
                remaining -= n;
            }
            out.write("0\r\n\r\n".getBytes());
            out.flush();

            assertThat(client.readHead().status()).isEqualTo(200);
        }
        assertThat(fixture.upstream().received())
                .anyMatch(r -> r.uri().equals("/annotations/big") && r.bodyBytes() == size);
    }

    @Test
    void aChunkedUploadCrossingTheRouteLimitIsCut() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send(
                    "POST /annotations/too-big-chunked HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = client.output();
            byte[] chunk = new byte[65536];
            try {
                for (int i = 0; i < 40; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes());
                    out.write(chunk);
                    out.write("\r\n".getBytes());
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the gateway may close while we are still sending
            }
            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(413);
            assertThat(head.headers().get("connection")).isEqualTo("close");
        }
        assertThat(fixture.upstream().received()).noneMatch(r -> r.uri().equals("/annotations/too-big-chunked"));
    }

    private static long readAndCheck(InputStream in, long offset, long count) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long position = offset;
        long end = offset + count;
        while (position < end) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
            assertThat(n).as("stream ended early at " + position).isPositive();
            for (int i = 0; i < n; i++) {
                if (buffer[i] != (byte) ((position + i) % 251)) {
                    throw new AssertionError("byte " + (position + i) + " differs");
                }
            }
            position += n;
        }
        return position;
    }

    /** The upstream's bytes sent once they stop growing (unchanged across one 200 ms poll). */
    private static long waitForUpstreamToStall() {
        long[] previous = {-1};
        return await("the upstream stalls")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> fixture.upstream().bytesSent(), current -> {
                    boolean same = current == previous[0];
                    previous[0] = current;
                    return same;
                });
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                .metric()
                .usedDirectMemory();
    }
}
