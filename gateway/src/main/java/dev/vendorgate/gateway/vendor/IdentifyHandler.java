package dev.vendorgate.gateway.vendor;

import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.policy.Vendor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Runs once per connection, when the TLS handshake ends: maps the client certificate to a
 * vendor, registers the connection under it, then steps out of the pipeline. A trusted
 * certificate that maps to no vendor still gets its connection, so that every request on it can
 * be answered with a problem that says why (a handshake alert cannot).
 */
final class IdentifyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(IdentifyHandler.class.getName());

    private final GatewayState state;

    IdentifyHandler(GatewayState state) {
        this.state = state;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                identify(ctx);
            } else {
                state.metrics().handshakeFailure("vendor", HandshakeFailures.code(handshake.cause()));
                LOG.log(Level.INFO, () -> "TLS handshake with " + ctx.channel().remoteAddress() + " failed: "
                        + HandshakeFailures.describe(handshake.cause()));
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void identify(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        X509Certificate[] chain;
        try {
            Certificate[] certificates = ssl.engine().getSession().getPeerCertificates();
            chain = new X509Certificate[certificates.length];
            for (int i = 0; i < certificates.length; i++) {
                chain[i] = (X509Certificate) certificates[i];
            }
        } catch (SSLPeerUnverifiedException | ClassCastException e) {
            ctx.close(); // cannot happen with client auth required; never serve an unidentified peer
            return;
        }
        VendorConnection connection = new VendorConnection(chain, ctx.channel());
        ctx.channel().attr(VendorConnection.KEY).set(connection);
        if (connection.identify(state) == null) {
            LOG.log(Level.INFO, () -> "connection from " + ctx.channel().remoteAddress() + " with certificate '"
                    + connection.peer().clientId() + "' refused: " + connection.refusal().reason().code());
        }
    }
}
