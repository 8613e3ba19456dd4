package dev.vendorgate.gateway.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: native epoll when the platform has it (fewer copies, edge-triggered),
 * the JDK's NIO otherwise. Chosen once at start and logged.
 */
public enum Transport {
    EPOLL("epoll (native)"),
    NIO("nio");

    private final String description;

    Transport(String description) {
        this.description = description;
    }

    /** The best transport available, unless {@code preferNio} asks for the portable one. */
    public static Transport detect(boolean preferNio) {
        return !preferNio && Epoll.isAvailable() ? EPOLL : NIO;
    }

    public String description() {
        return description;
    }

    /** Why epoll is not used, or null when it is available. */
    public static String epollUnavailabilityCause() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause.getMessage());
    }

    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
