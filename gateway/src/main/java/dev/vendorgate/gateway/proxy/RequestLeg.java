package dev.vendorgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * The vendor-to-upstream half of an exchange: the request body, held while the upstream
 * connection is being set up, then forwarded only as fast as the upstream takes it. Confined to
 * the exchange's event loop.
 */
final class RequestLeg {

    private final Runnable readMore;
    private final Runnable requestSent;
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);
    private Channel upstream;
    private boolean complete;
    private boolean sent;
    private boolean waitingForWritable;

    /**
     * @param readMore asks the vendor for more body
     * @param requestSent called once the whole request has been written upstream
     */
    RequestLeg(Runnable readMore, Runnable requestSent) {
        this.readMore = readMore;
        this.requestSent = requestSent;
    }

    /** Whether the vendor's request has ended (its last piece arrived). */
    boolean complete() {
        return complete;
    }

    /** Whether the whole request, last piece included, was written upstream. */
    boolean sent() {
        return sent;
    }

    /** A piece of body that passed the budget. */
    void onContent(HttpContent content) {
        if (upstream == null) {
            pending.add(content);
            if (content instanceof LastHttpContent) {
                complete = true;
            }
            return;
        }
        forward(content, true);
    }

    /**
     * The upstream connection is ready and the request head written (not yet flushed): send what waited, or ask
     * for more, and flush the head with it (a bodiless request goes out in one flush).
     */
    void connected(Channel channel) {
        upstream = channel;
        if (!pending.isEmpty()) {
            while (!pending.isEmpty() && upstream != null) {
                forward(pending.poll(), false);
            }
        } else if (complete && !sent) {
            // a retry of a bodiless request whose end was already consumed
            forward(LastHttpContent.EMPTY_LAST_CONTENT, false);
        } else if (!complete) {
            readMore.run();
        }
        channel.flush();
    }

    /** The upstream connection went away; a bodiless request may be sent again on a new one. */
    void disconnected(boolean resend) {
        upstream = null;
        if (resend) {
            sent = false;
        }
    }

    /** Writes a piece upstream; a failed write fires exceptionCaught there, which ends the exchange. */
    private void forward(HttpContent content, boolean flush) {
        boolean last = content instanceof LastHttpContent;
        Channel channel = upstream;
        if (flush) {
            channel.writeAndFlush(content, channel.voidPromise());
        } else {
            channel.write(content, channel.voidPromise());
        }
        if (last) {
            complete = true;
            sent = true;
            requestSent.run();
        } else if (channel.isWritable()) {
            readMore.run();
        } else {
            waitingForWritable = true;
        }
    }

    void onUpstreamWritable() {
        if (waitingForWritable) {
            waitingForWritable = false;
            readMore.run();
        }
    }

    /** Drops what was held back (the exchange ended before it could be sent). */
    void release() {
        HttpContent content;
        while ((content = pending.poll()) != null) {
            content.release();
        }
    }
}
