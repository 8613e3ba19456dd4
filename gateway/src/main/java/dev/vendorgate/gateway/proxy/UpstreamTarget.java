package dev.vendorgate.gateway.proxy;

import dev.vendorgate.policy.Upstream;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An upstream ready to connect to: its policy entry, its address resolved ahead of time (name
 * resolution can block, so it never happens on an event loop), and its TLS context for https.
 */
public final class UpstreamTarget {

    private final Upstream upstream;
    private final SslContext tls;
    private volatile InetSocketAddress address;

    public UpstreamTarget(Upstream upstream, SslContext tls, InetSocketAddress address) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.tls = tls;
        this.address = Objects.requireNonNull(address, "address");
    }

    /** Resolves the upstream's host now; call off the event loop. */
    public static InetSocketAddress resolve(Upstream upstream) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(upstream.host()), upstream.port());
    }

    /** Re-resolves the host (DNS may move a service); keeps the old address if resolution fails. */
    public void refreshAddress() {
        try {
            address = resolve(upstream);
        } catch (UnknownHostException e) {
            // keep the last good address; the connect error, if any, will say what failed
        }
    }

    public Upstream upstream() {
        return upstream;
    }

    public String id() {
        return upstream.id();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The TLS context for an https upstream, or null. */
    public SslContext tls() {
        return tls;
    }
}
