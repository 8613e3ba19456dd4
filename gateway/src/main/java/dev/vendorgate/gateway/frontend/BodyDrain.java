package dev.vendorgate.gateway.frontend;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * What to do with the rest of a request body the gateway will not forward. Either drop it and
 * go on to the next request (the body was empty), or drop it for a moment and then close
 * ("lingering close"): a client still sending a body it was refused gets to read the answer,
 * instead of a connection reset that loses it.
 */
final class BodyDrain {

    /** What happens on the connection once a problem response is written. */
    enum After {
        /** Read the next request (after the rest of this one, if any). */
        NEXT_REQUEST,
        /** Close (HTTP/2: reset the stream). */
        CLOSE,
        /** Keep reading and dropping the request body for a moment, so the client sees the answer, then close. */
        LINGER_THEN_CLOSE
    }

    /**
     * After a refusal. On HTTP/2 a fatal refusal ends only the stream: closing the connection at
     * once could reset it before the client reads the answer, and every further stream gets the
     * same answer anyway.
     */
    static After afterRefusal(boolean http2, boolean complete, HttpRequest request, boolean fatal) {
        if (http2) {
            return complete ? After.NEXT_REQUEST : After.CLOSE;
        }
        if (!complete && hasBody(request)) {
            return After.LINGER_THEN_CLOSE;
        }
        return fatal || !HttpUtil.isKeepAlive(request) ? After.CLOSE : After.NEXT_REQUEST;
    }

    /** After an exchange failed before its response started (upstream down, body too large...). */
    static After afterFailure(boolean http2, boolean complete, HttpRequest request, boolean mustClose) {
        if (http2) {
            return complete ? After.NEXT_REQUEST : After.CLOSE;
        }
        if (!complete) {
            return After.LINGER_THEN_CLOSE;
        }
        return mustClose || !HttpUtil.isKeepAlive(request) ? After.CLOSE : After.NEXT_REQUEST;
    }

    private static boolean hasBody(HttpRequest request) {
        if (request == null) {
            return false;
        }
        try {
            return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        } catch (NumberFormatException e) {
            return true; // a Content-Length the decoder refused: a body of unknown length may follow
        }
    }

    /** How long, and how many body bytes, a refused request is read and dropped before the connection closes. */
    static final long LINGER_MILLIS = 2_000;

    static final long LINGER_BYTES = 16L * 1024 * 1024;

    /** What the handler does after dropping a piece. */
    enum Next {
        NOTHING,
        READ,
        CLOSE
    }

    private boolean discarding;
    private boolean lingering;
    private long lingered;

    /** Drop the rest of the current (complete or empty-bodied) request, then read the next. */
    void discardRest(boolean requestComplete) {
        discarding = !requestComplete;
    }

    /**
     * Drops what follows, then closes: lingers once {@code written} (the answer) is out: then close_notify, so the client reads the
     * answer and sees the end at once, while what it is still sending is read and dropped (closing
     * now could reset the answer away); the connection closes when the body ends or at the latest
     * after {@link #LINGER_MILLIS}.
     */
    void lingerThenClose(ChannelHandlerContext ctx, ChannelFuture written) {
        linger();
        written.addListener(f -> {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ctx.channel().isActive()) {
                ssl.closeOutbound();
            }
        });
        ctx.executor()
                .schedule(
                        () -> {
                            if (ctx.channel().isActive()) {
                                ctx.close();
                            }
                        },
                        LINGER_MILLIS,
                        TimeUnit.MILLISECONDS);
    }

    private void linger() {
        discarding = true;
        lingering = true;
        lingered = 0;
    }

    /** Accounts for a dropped piece of body. */
    Next dropped(int bytes, boolean last) {
        if (lingering) {
            lingered += bytes;
            return last || lingered > LINGER_BYTES ? Next.CLOSE : Next.READ;
        }
        if (discarding) {
            discarding = !last;
            return Next.READ;
        }
        return Next.NOTHING;
    }
}
