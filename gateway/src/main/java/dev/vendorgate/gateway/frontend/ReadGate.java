package dev.vendorgate.gateway.frontend;

import io.netty.channel.ChannelHandlerContext;

/**
 * When a vendor connection (or stream) is read: only when asked (auto-read is off), the next
 * request only once the answers so far have left. While the channel is not writable (its
 * outbound buffer above the high water mark: a vendor that pipelines requests and never reads
 * the answers) the next read waits for writability, so no answer path, refused, local or
 * proxied, can queue responses without bound. Confined to the channel's event loop.
 */
final class ReadGate {

    private final ChannelHandlerContext ctx;
    private boolean started;
    /** A read() was asked for and no message has come of it yet. */
    private boolean pending;
    /** The next request is to be read once the channel is writable again. */
    private boolean whenWritable;

    ReadGate(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Reads the first message, once. */
    void start() {
        if (!started) {
            started = true;
            read();
        }
    }

    /** Asks for the next message (more of the current request); re-asked at read-complete if that read produced nothing. */
    void read() {
        pending = true;
        ctx.read();
    }

    /** Asks for the next request, at once or when the channel is writable again. */
    void next() {
        if (ctx.channel().isWritable()) {
            read();
        } else {
            whenWritable = true;
        }
    }

    /** A message came. */
    void arrived() {
        pending = false;
    }

    /** Whether the gateway is waiting for a message it asked for. */
    boolean pending() {
        return pending;
    }

    /** A read ended: it may have ended without a whole message (a partial TLS record, a header still arriving). */
    void readComplete() {
        if (pending) {
            ctx.read();
        }
    }

    void writabilityChanged() {
        if (whenWritable && ctx.channel().isWritable()) {
            whenWritable = false;
            read();
        }
    }
}
