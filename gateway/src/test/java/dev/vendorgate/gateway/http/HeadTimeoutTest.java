package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request head must arrive whole within the head timeout, counted from its first byte, however
 * it is cut into reads (a slow-loris client trickles it); a head that arrives whole sets no timer.
 * On the event loop's own clock, frozen here.
 */
class HeadTimeoutTest {

    private static final long TIMEOUT_MS = 1000;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new StrictHttpServerCodec(8192, 16384, 65536, TIMEOUT_MS));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes(StandardCharsets.US_ASCII)));
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The next request read, released; null if none. */
    private HttpRequest nextHead() {
        Object message;
        while ((message = channel.readInbound()) != null) {
            ReferenceCountUtil.release(message);
            if (message instanceof HttpRequest request) {
                return request;
            }
        }
        return null;
    }

    /** Nothing is refused until {@code millis} have passed; then the head is refused as timed out. */
    private void timesOutAfter(long millis) {
        advance(millis - 1);
        assertThat(nextHead()).isNull();
        advance(1);
        assertThat(timedOut(nextHead())).isTrue();
    }

    private static boolean timedOut(HttpRequest request) {
        return request.decoderResult().cause() instanceof StrictHttpServerCodec.HeadTimeoutException;
    }

    @Test
    void aTrickledHeadTimesOutCountedFromItsFirstByte() {
        send("GET /a HTTP/1.1\r\nHo");
        advance(600);
        send("st: x\r\nX-A: 1\r\n"); // more bytes do not restart the count
        advance(399);
        assertThat(nextHead()).isNull();
        advance(1);
        HttpRequest refused = nextHead();
        assertThat(refused).isNotNull();
        assertThat(timedOut(refused)).isTrue();
    }

    @Test
    void aHeadThatArrivesWholeSetsNoTimerAndTheNextHeadIsTimedFromItsOwnStart() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        HttpRequest first = nextHead();
        assertThat(first.decoderResult().isSuccess()).isTrue();
        assertThat(channel.hasPendingTasks()).isFalse();

        advance(5000); // idle between requests is not the head timeout's business
        assertThat(nextHead()).isNull();

        send("GET /b HTTP/1.1\r\n");
        timesOutAfter(TIMEOUT_MS);
    }

    @Test
    void aPipelinedHeadCutAfterTheFirstIsTimedFromTheReadThatBeganIt() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHo");
        assertThat(nextHead().decoderResult().isSuccess()).isTrue();
        timesOutAfter(TIMEOUT_MS);
    }

    @Test
    void aHeadCompletedInTimeIsServedAndItsTimerIsGone() {
        send("GET /a HTTP/1.1\r\n");
        advance(900);
        send("Host: x\r\n\r\n");
        assertThat(nextHead().decoderResult().isSuccess()).isTrue();
        advance(TIMEOUT_MS * 3);
        assertThat(nextHead()).isNull();
    }
}
