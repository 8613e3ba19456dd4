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
    /** Connections a suspension must not cut (yet): one that tripped a canary, until it is answered. */
    private final Set<Channel> spared = ConcurrentHashMap.newKeySet();

    /** Records {@code channel} under {@code vendorId} until it closes. */
    public void register(String vendorId, Channel channel) {
        byVendor.computeIfAbsent(vendorId, v -> ConcurrentHashMap.newKeySet()).add(channel);
        total.incrementAndGet();
        channel.closeFuture().addListener(f -> {
            Set<Channel> channels = byVendor.get(vendorId);
            if (channels != null && channels.remove(channel)) {
                total.decrementAndGet();
            }
            spared.remove(channel);
        });
    }

    /**
     * Leaves {@code channel} out of {@link #connections} and {@link #all} until it closes: the
     * connection whose request tripped a canary is answered (and then closed) after the vendor's
     * suspension, not cut by it.
     */
    public void spare(Channel channel) {
        if (channel.isActive()) {
            spared.add(channel);
            channel.closeFuture().addListener(f -> spared.remove(channel));
        }
    }

    /** The vendor's open connections at this moment (a copy). */
    public Set<Channel> connections(String vendorId) {
        Set<Channel> channels = byVendor.get(vendorId);
        if (channels == null) {
            return Set.of();
        }
        Set<Channel> copy = new java.util.HashSet<>(channels);
        copy.removeAll(spared);
        return Set.copyOf(copy);
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
        all.removeAll(spared);
        return all;
    }
}
