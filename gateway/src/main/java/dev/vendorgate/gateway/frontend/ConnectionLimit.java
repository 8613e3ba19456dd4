package dev.vendorgate.gateway.frontend;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Caps the connections open on one listener, and from any one source address. Over a cap a new
 * connection is closed at once, before any TLS work is spent on it, so neither a flood nor one
 * address holding connections open can take every slot. Decides once per connection and steps
 * aside.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class.getName());

    private final int max;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger> byAddress =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ConnectionLimit(int max) {
        this(max, Integer.MAX_VALUE);
    }

    public ConnectionLimit(int max, int perAddress) {
        this.max = max;
        this.perAddress = perAddress;
    }

    /** Connections open on the listener now. */
    public int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            LOG.warning(() -> "listener at its cap of " + max + " connections; closing "
                    + ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        java.net.InetAddress address =
                ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet ? inet.getAddress() : null;
        AtomicInteger fromAddress = address == null
                ? null
                : byAddress.compute(address, (a, count) -> {
                    AtomicInteger next = count == null ? new AtomicInteger() : count;
                    next.incrementAndGet();
                    return next;
                });
        if (fromAddress != null && fromAddress.get() > perAddress) {
            release(address);
            open.decrementAndGet();
            LOG.warning(() -> "source address " + address.getHostAddress() + " at its cap of " + perAddress
                    + " connections; closing one more");
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (address != null) {
                release(address);
            }
        });
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    private void release(java.net.InetAddress address) {
        byAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
