package dev.vendorgate.gateway.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Checks the client certificate of a connection once its handshake ends, as the handshake
 * itself does, then steps out of the pipeline; closes the connection when the check fails. A
 * resumed TLS session skips the handshake's check, so a certificate revoked or expired since the
 * session was made would otherwise get in. Placed right after the TLS handler.
 */
public final class CertificateRecheck extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(CertificateRecheck.class.getName());

    private final String listener;
    private final ClientCertificateTrust trust;

    public CertificateRecheck(String listener, ClientCertificateTrust trust) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    private boolean refused;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess() && !passes(ctx)) {
                refused = true; // stays in place to drop what arrives before the close completes
                ctx.close();
                return;
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean passes(ChannelHandlerContext ctx) {
        try {
            Certificate[] presented =
                    ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[presented.length];
            for (int i = 0; i < presented.length; i++) {
                chain[i] = (X509Certificate) presented[i];
            }
            trust.recheck(chain);
            return true;
        } catch (SSLPeerUnverifiedException | ClassCastException e) {
            return false;
        } catch (CertificateException e) {
            LOG.log(
                    Level.INFO,
                    () -> listener + " TLS session of " + ctx.channel().remoteAddress() + " refused: "
                            + e.getMessage());
            return false;
        }
    }
}
