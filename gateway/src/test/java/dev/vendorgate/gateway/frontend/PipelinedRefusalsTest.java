package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vendor that pipelines requests and never reads the answers cannot make the gateway queue
 * answers without bound: reading stops while the connection's outbound buffer is full, so what
 * the gateway holds for it stays near the buffer's high water mark, whatever the vendor sends.
 */
class PipelinedRefusalsTest {

    @TempDir
    Path dir;

    /** Bytes of answers the gateway holds, not yet written to the socket, for acme's connections. */
    private static long pending(GatewayFixture fixture) throws Exception {
        long total = 0;
        for (Channel channel : fixture.gateway().state().connections().connections("acme")) {
            total += channel.eventLoop()
                    .submit(() -> {
                        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
                        return buffer == null ? 0L : buffer.totalPendingWriteBytes();
                    })
                    .get(5, TimeUnit.SECONDS);
        }
        return total;
    }

    @Test
    void answersQueuedForAVendorThatNeverReadsStayBounded() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(
                        TestPki.create(dir),
                        Policies.WITH_ADMIN,
                        Map.of(),
                        GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
                RawHttpsClient client = new RawHttpsClient(
                        fixture.pki().clientContext(fixture.pki().vendor("acme", null)), fixture.port())) {
            byte[] batch = "GET /no-route/x HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .repeat(100)
                    .getBytes(StandardCharsets.US_ASCII);
            AtomicLong sent = new AtomicLong();
            OutputStream out = client.output();
            Thread writer = new Thread(() -> {
                try {
                    while (sent.get() < 200_000) {
                        out.write(batch);
                        out.flush();
                        sent.addAndGet(100);
                    }
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();

            // until the writer is stuck (the gateway stopped reading) or has sent everything
            long[] last = {-1};
            await("the writer is stuck or done")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        long now = sent.get();
                        boolean stuck = now == last[0];
                        last[0] = now;
                        return stuck || now >= 200_000;
                    });
            long held = pending(fixture);
            client.socket().close();

            assertThat(held)
                    .as("answers held for a vendor that does not read, after it sent " + sent.get() + " requests")
                    .isLessThan(1024 * 1024);
        }
    }
}
