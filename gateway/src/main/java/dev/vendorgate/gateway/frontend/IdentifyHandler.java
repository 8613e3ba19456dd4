package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tls.ClientCertificateTrust;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Runs once per connection, when the TLS handshake ends: checks the client certificate again
 * (a resumed session skipped the handshake's check, and the certificate may have been revoked or
 * have expired since), maps it to a vendor, registers the connection under it, then steps out of
 * the pipeline. A certificate that fails the check is refused as at the handshake: the connection
 * closes. A trusted certificate that maps to no vendor still gets its connection, so that every
 * request on it can be answered with a problem that says why (a handshake alert cannot).
 */
final class IdentifyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(IdentifyHandler.class.getName());

    private final GatewayState state;
    private final ClientCertificateTrust trust;

    IdentifyHandler(GatewayState state, ClientCertificateTrust trust) {
        this.state = state;
        this.trust = trust;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                if (!identify(ctx)) {
                    ctx.pipeline().remove(this);
                    return; // closed: the protocol selector never sees a handshake it could act on
                }
            } else {
                state.metrics().handshakeFailure("vendor", HandshakeFailures.code(handshake.cause()));
                LOG.log(
                        Level.INFO,
                        () -> "TLS handshake with " + ctx.channel().remoteAddress() + " failed: "
                                + HandshakeFailures.describe(handshake.cause()));
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Whether the connection may go on (false: it is being closed). */
    private boolean identify(ChannelHandlerContext ctx) {
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
            return false;
        }
        try {
            trust.recheck(chain);
        } catch (CertificateException e) {
            state.metrics().handshakeFailure("vendor", HandshakeFailures.code(e));
            LOG.log(
                    Level.INFO,
                    () -> "TLS session of " + ctx.channel().remoteAddress() + " refused: " + e.getMessage());
            ctx.close();
            return false;
        }
        VendorConnection connection = new VendorConnection(chain, ctx.channel());
        ctx.channel().attr(VendorConnection.KEY).set(connection);
        connection.tls(ctx.pipeline().context(SslHandler.class));
        if (connection.identify(state) == null) {
            LOG.log(
                    Level.INFO,
                    () -> "connection from " + ctx.channel().remoteAddress() + " with certificate '"
                            + connection.peer().clientId() + "' refused: "
                            + connection.refusal().reason().code());
        }
        return true;
    }
}
