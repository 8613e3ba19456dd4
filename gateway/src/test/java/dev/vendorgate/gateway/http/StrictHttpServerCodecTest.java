package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The folded-line check of the HTTP/1.1 decoder sees a continuation line however the head is cut
 * into reads: at the line feed, right after it, in the middle of a line, one byte at a time.
 */
class StrictHttpServerCodecTest {

    private static final String FOLDED = "GET /a HTTP/1.1\r\nHost: x\r\nX-Long: first\r\n\tsecond\r\n\r\n";
    private static final String FOLDED_WITH_SPACE = "GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n X-B: 2\r\n\r\n";
    /** Empty lines before the request line are allowed; a value may hold spaces and tabs. */
    private static final String CLEAN = "\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\nX-A: one two\tthree\r\n\r\n";

    /** The heads the decoder produced, with whether each was refused as folded. */
    private static List<Boolean> foldedHeads(String bytes, int[] cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpServerCodec(8192, 16384, 65536, 0));
        byte[] all = bytes.getBytes(StandardCharsets.US_ASCII);
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.wrappedBuffer(all, from, cut - from));
            from = cut;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(all, from, all.length - from));
        List<Boolean> heads = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            if (message instanceof HttpRequest request) {
                heads.add(request.decoderResult().cause() instanceof StrictHttpServerCodec.FoldedHeaderException);
            }
            ReferenceCountUtil.release(message);
        }
        channel.finishAndReleaseAll();
        return heads;
    }

    @Test
    void aFoldedLineIsRefusedWhereverTheReadsAreCut() {
        for (String folded : List.of(FOLDED, FOLDED_WITH_SPACE)) {
            for (int cut = 1; cut < folded.length(); cut++) {
                assertThat(foldedHeads(folded, new int[] {cut}))
                        .as("cut at %d", cut)
                        .containsExactly(true);
            }
            int[] everyByte = new int[folded.length() - 1];
            for (int i = 0; i < everyByte.length; i++) {
                everyByte[i] = i + 1;
            }
            assertThat(foldedHeads(folded, everyByte)).containsExactly(true);
        }
    }

    @Test
    void aCleanHeadPassesWhereverTheReadsAreCut() {
        for (int cut = 1; cut < CLEAN.length(); cut++) {
            assertThat(foldedHeads(CLEAN, new int[] {cut})).as("cut at %d", cut).containsExactly(false);
        }
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int a = 1 + random.nextInt(CLEAN.length() - 2);
            int b = a + 1 + random.nextInt(CLEAN.length() - a - 1);
            assertThat(foldedHeads(CLEAN, new int[] {a, b})).containsExactly(false);
        }
    }

    @Test
    void theCheckStartsAfreshWithTheNextRequestOnTheConnection() {
        String two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + FOLDED;
        for (int cut = 1; cut < two.length(); cut++) {
            assertThat(foldedHeads(two, new int[] {cut})).as("cut at %d", cut).containsExactly(false, true);
        }
        String cleanTwice = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        assertThat(foldedHeads(cleanTwice, new int[] {20})).containsExactly(false, false);
    }
}
