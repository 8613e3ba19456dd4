package dev.vendorgate.gateway.runtime;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open vendor connection, by vendor. This is what lets a suspension find and close a
 * vendor's connections that are already open, instead of only refusing new ones.
 */
public final class ConnectionRegistry {

    private final Map<String, Set<Channel>> byVendor = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /** Records {@code channel} under {@code vendorId} until it closes. */
    public void register(String vendorId, Channel channel) {
        byVendor.computeIfAbsent(vendorId, v -> ConcurrentHashMap.newKeySet()).add(channel);
        total.incrementAndGet();
        channel.closeFuture().addListener(f -> {
            Set<Channel> channels = byVendor.get(vendorId);
            if (channels != null && channels.remove(channel)) {
                total.decrementAndGet();
            }
        });
    }

    /** The vendor's open connections at this moment (a copy). */
    public Set<Channel> connections(String vendorId) {
        Set<Channel> channels = byVendor.get(vendorId);
        return channels == null ? Set.of() : Set.copyOf(channels);
    }

    /** How many connections the vendor has open. */
    public int count(String vendorId) {
        Set<Channel> channels = byVendor.get(vendorId);
        return channels == null ? 0 : channels.size();
    }

    /** Identified vendor connections open, all vendors. */
    public int total() {
        return total.get();
    }

    /** Every registered connection (a copy), for shutdown. */
    public Set<Channel> all() {
        Set<Channel> all = ConcurrentHashMap.newKeySet();
        byVendor.values().forEach(all::addAll);
        return all;
    }
}
