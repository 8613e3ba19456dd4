package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.control.SuspendMode;
import io.netty.channel.Channel;
import java.util.List;
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

    /** How connections are ended on their event loop (the vendor listener's part of a kill switch). */
    @FunctionalInterface
    public interface Cutter {
        /**
         * Cuts or drains {@code channels}, which share one event loop, in one task on it; the future
         * completes once all are done (see {@link SuspendMode}).
         */
        CompletableFuture<ConnectionCut> cut(List<Channel> channels, SuspendMode mode);
    }
}
