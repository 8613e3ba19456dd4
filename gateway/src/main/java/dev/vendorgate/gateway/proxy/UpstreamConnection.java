package dev.vendorgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection's pipeline. It belongs to at most one exchange
 * at a time and passes everything the upstream does to that exchange; while pooled it only
 * watches for the upstream closing, so that a dead connection is never handed out.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private final UpstreamPool pool;
    private final UpstreamTarget target;
    private Channel channel;
    private ProxyExchange owner;
    private boolean reused;

    UpstreamConnection(UpstreamPool pool, UpstreamTarget target) {
        this.pool = pool;
        this.target = target;
    }

    UpstreamTarget target() {
        return target;
    }

    Channel channel() {
        return channel;
    }

    /** Whether this connection carried an earlier exchange (and so may have gone stale). */
    boolean reused() {
        return reused;
    }

    void lease(ProxyExchange exchange) {
        owner = exchange;
    }

    /** Ends the lease; the caller decides whether the connection goes back to the pool. */
    void unlease() {
        owner = null;
        reused = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null) {
            owner.onUpstreamRead(msg);
        } else {
            // bytes from an idle upstream are a protocol error: drop the connection
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null && ctx.channel().isWritable()) {
            owner.onUpstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (owner != null) {
                owner.onUpstreamIdle();
            } else {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.forget(this);
        if (owner != null) {
            ProxyExchange exchange = owner;
            owner = null;
            exchange.onUpstreamClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (owner != null) {
            ProxyExchange exchange = owner;
            owner = null;
            exchange.onUpstreamClosed(cause);
        }
        ctx.close();
    }
}
