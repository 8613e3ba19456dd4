package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.control.SuspendMode;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * What cutting vendor connections found: the connections and the requests in flight on them.
 *
 * @param connections connections cut (or told to close when idle)
 * @param streams requests in flight on them
 */
public record ConnectionCut(int connections, int streams) {

    public static final ConnectionCut NONE = new ConnectionCut(0, 0);

    public ConnectionCut plus(ConnectionCut other) {
        return new ConnectionCut(connections + other.connections, streams + other.streams);
    }

    /** How one connection is ended, on its own event loop (the vendor listener's part of a kill switch). */
    @FunctionalInterface
    public interface Cutter {
        /** Cuts or drains {@code channel}; the future completes once it is done (see {@link SuspendMode}). */
        CompletableFuture<ConnectionCut> cut(Channel channel, SuspendMode mode);
    }
}
