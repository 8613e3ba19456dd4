package dev.vendorgate.gateway.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vendorgate.policy.HttpSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * The HTTP/1.1 front end (the strict codec, then the request head rules) on arbitrary bytes: it
 * never throws, and any request it lets through is one the rules accept, with no CR, LF or NUL
 * in a header and a target that starts with '/'. Seeds replay in every test run.
 */
class Http1FrontEndFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void onlyCleanRequestsPass(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpServerCodec(8192, 16384, 65536, 0));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.finish();
            Object message;
            boolean failed = false;
            while ((message = channel.readInbound()) != null) {
                try {
                    if (failed) {
                        continue; // what follows a failed head is never looked at
                    }
                    if (message instanceof HttpRequest request) {
                        if (!request.decoderResult().isSuccess()) {
                            failed = true;
                            RequestHeadRules.decodingFailed(
                                    request.decoderResult().cause());
                            continue;
                        }
                        if (RequestHeadRules.check(request, false, HttpSettings.DEFAULTS) != null) {
                            failed = true;
                            continue;
                        }
                        check(request);
                    } else if (message instanceof HttpContent content
                            && !content.decoderResult().isSuccess()) {
                        failed = true;
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static void check(HttpRequest request) {
        if (!request.uri().startsWith("/")) {
            throw new AssertionError("target passed: " + request.uri());
        }
        for (Map.Entry<String, String> header : request.headers()) {
            String both = header.getKey() + header.getValue();
            if (both.indexOf('\r') >= 0 || both.indexOf('\n') >= 0 || both.indexOf('\0') >= 0) {
                throw new AssertionError("control character passed in " + header.getKey());
            }
        }
    }
}
