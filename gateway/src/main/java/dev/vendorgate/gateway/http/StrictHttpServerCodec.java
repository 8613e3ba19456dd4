package dev.vendorgate.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 server codec of every listener: Netty's decoder with every leniency switched off
 * explicitly (so no system property can turn one back on), plus what Netty accepts and a gateway
 * must not: folded header lines (obs-fold, which Netty silently joins), more requests pipelined
 * than we track, and a request head that trickles in for longer than the head timeout
 * (slowloris). Each of those becomes a request whose decoder result is a failure, which the
 * request handlers answer with an error and a close; nothing of it is forwarded.
 */
public final class StrictHttpServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /** Requests decoded but not yet answered, beyond which a connection is refused. */
    static final int MAX_PIPELINED = 128;

    /** The decoder result cause of a folded header line. */
    public static final class FoldedHeaderException extends IllegalArgumentException {
        FoldedHeaderException() {
            super("obsolete line folding (a header line starting with a space or tab) is not accepted");
        }
    }

    /** The decoder result cause of a request head that did not arrive in time. */
    public static final class HeadTimeoutException extends IllegalStateException {
        HeadTimeoutException() {
            super("the request head did not arrive in time");
        }
    }

    /** The decoder result cause of too many pipelined requests. */
    public static final class TooManyPipelinedException extends IllegalStateException {
        TooManyPipelinedException() {
            super("more than " + MAX_PIPELINED + " requests pipelined");
        }
    }

    private final ArrayDeque<Boolean> headRequests = new ArrayDeque<>();

    /**
     * @param headTimeoutMillis how long a request head may take from its first byte to its last;
     *     0 for no limit
     */
    public StrictHttpServerCodec(int maxRequestLine, int maxHeaderBytes, int maxChunk, long headTimeoutMillis) {
        init(
                new Decoder(
                        new HttpDecoderConfig()
                                .setMaxInitialLineLength(maxRequestLine)
                                .setMaxHeaderSize(maxHeaderBytes)
                                .setMaxChunkSize(maxChunk)
                                .setValidateHeaders(true)
                                .setStrictLineParsing(true)
                                .setUseRfc9112TransferEncoding(true)
                                .setAllowDuplicateContentLengths(false)
                                .setChunkedSupported(true),
                        headTimeoutMillis),
                new Encoder());
    }

    private final class Decoder extends HttpRequestDecoder {

        private static final long NOT_STARTED = Long.MIN_VALUE;

        private final long headTimeoutMillis;
        private boolean inHead = true;
        private boolean atLineStart = true;
        private boolean firstLine = true;
        private boolean lineHasContent;
        private boolean folded;
        private boolean failed;
        private ScheduledFuture<?> headTimer;
        /** When the first byte of the head being read arrived (the loop's clock), or NOT_STARTED. */
        private long headStarted = NOT_STARTED;

        Decoder(HttpDecoderConfig config, long headTimeoutMillis) {
            super(config);
            this.headTimeoutMillis = headTimeoutMillis;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (failed) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            if (inHead && headStarted == NOT_STARTED && buffer.isReadable()) {
                headStarted = ctx.executor().ticker().nanoTime();
            }
            int start = buffer.readerIndex();
            int before = out.size();
            boolean scanning = inHead;
            super.decode(ctx, buffer, out);
            if (scanning) {
                scan(buffer, start, buffer.readerIndex());
            }
            for (int i = before; i < out.size(); i++) {
                Object message = out.get(i);
                if (message instanceof HttpMessage head) {
                    headEnded(head);
                }
                if (message instanceof LastHttpContent) {
                    inHead = true;
                    atLineStart = true;
                    firstLine = true;
                    lineHasContent = false;
                }
            }
            if (inHead && headStarted == NOT_STARTED && buffer.isReadable()) {
                headStarted = ctx.executor().ticker().nanoTime(); // the next head began in the same bytes
            }
            // the timer is set only for a head still incomplete when these bytes are decoded: most heads arrive
            // whole, and a timer scheduled and cancelled for each was about 1% of a request
            if (inHead && headStarted != NOT_STARTED && headTimer == null && headTimeoutMillis > 0 && !failed) {
                long elapsed = ctx.executor().ticker().nanoTime() - headStarted;
                long left = Math.max(0, TimeUnit.MILLISECONDS.toNanos(headTimeoutMillis) - elapsed);
                headTimer = ctx.executor().schedule(() -> headTimedOut(ctx), left, TimeUnit.NANOSECONDS);
            }
        }

        /**
         * Looks for lines of the head that start with a space or tab, other than the request line. Jumps
         * from line feed to line feed ({@code indexOf} reads eight bytes at a time) and looks only at the
         * byte after each; a line counts as the request line once it has a byte other than CR (empty lines
         * before the request line are allowed).
         */
        private void scan(ByteBuf buffer, int from, int to) {
            int i = from;
            while (i < to) {
                if (atLineStart) {
                    atLineStart = false;
                    byte b = buffer.getByte(i);
                    if (!firstLine && (b == ' ' || b == '\t')) {
                        folded = true;
                    }
                }
                int lf = buffer.indexOf(i, to, (byte) '\n');
                int end = lf < 0 ? to : lf;
                if (!lineHasContent && end > i && buffer.forEachByte(i, end - i, ByteProcessor.FIND_NON_CR) >= 0) {
                    lineHasContent = true;
                }
                if (lf < 0) {
                    return;
                }
                atLineStart = true;
                if (lineHasContent) {
                    firstLine = false;
                }
                lineHasContent = false;
                i = lf + 1;
            }
        }

        private void headEnded(HttpMessage head) {
            inHead = false;
            headStarted = NOT_STARTED;
            cancelTimer();
            if (folded && head.decoderResult().isSuccess()) {
                head.setDecoderResult(DecoderResult.failure(new FoldedHeaderException()));
                failed = true;
            }
            folded = false;
            if (head instanceof HttpRequest request) {
                if (headRequests.size() >= MAX_PIPELINED) {
                    if (request.decoderResult().isSuccess()) {
                        request.setDecoderResult(DecoderResult.failure(new TooManyPipelinedException()));
                    }
                    failed = true;
                }
                headRequests.add(HttpMethod.HEAD.equals(request.method()));
            }
            if (!head.decoderResult().isSuccess()) {
                failed = true; // nothing after a rejected head is read: its framing cannot be trusted
            }
        }

        private void headTimedOut(ChannelHandlerContext ctx) {
            headTimer = null;
            if (!inHead || failed || !ctx.channel().isActive()) {
                return;
            }
            failed = true;
            DefaultFullHttpRequest timedOut =
                    new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
            timedOut.setDecoderResult(DecoderResult.failure(new HeadTimeoutException()));
            headRequests.add(false);
            ctx.fireChannelRead(timedOut);
            ctx.fireChannelReadComplete();
        }

        private void cancelTimer() {
            if (headTimer != null) {
                headTimer.cancel(false);
                headTimer = null;
            }
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
            cancelTimer();
            super.handlerRemoved0(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelTimer();
            super.channelInactive(ctx);
        }
    }

    private final class Encoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            Boolean head = headRequests.poll();
            return Boolean.TRUE.equals(head) || super.isContentAlwaysEmpty(msg);
        }
    }
}
