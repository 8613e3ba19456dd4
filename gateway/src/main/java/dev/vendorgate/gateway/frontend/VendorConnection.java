package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.runtime.GatewaySnapshot;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.tls.ClientCertificateTrust;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.AccessPolicy;
import dev.vendorgate.policy.DenyReason;
import dev.vendorgate.policy.PeerCertificate;
import dev.vendorgate.policy.Vendor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Who is on the other end of one vendor connection, decided from its client certificate after
 * the handshake. The answer is recomputed when the policy changes, so a reload that removes a
 * vendor or changes its identity rules applies to connections already open. Confined to the
 * connection's event loop.
 */
public final class VendorConnection {

    static final AttributeKey<VendorConnection> KEY = AttributeKey.valueOf(VendorConnection.class, "vendor-connection");

    private final PeerCertificate peer;
    private final X509Certificate[] chain;
    private final SocketAddress remote;
    /** The TCP connection (for HTTP/2, the parent of every stream). */
    private final Channel channel;

    private boolean registered;
    private String thumbprint;
    private String clientCertField;
    private GatewaySnapshot identifiedWith;
    private String boundVendorId;
    private Vendor vendor;
    private AccessDecision.Deny refusal;
    private volatile int activeExchanges;
    private boolean closeWhenIdle;
    private volatile boolean cut; // read off the loop by a later sweep, which skips what a sever already cut
    private boolean overConnectionLimit;
    /** The token this connection presented last (event-loop confined, as the connection is). */
    private final dev.vendorgate.gateway.token.TokenVerifier.Memo lastToken =
            new dev.vendorgate.gateway.token.TokenVerifier.Memo();

    VendorConnection(X509Certificate[] chain, Channel channel) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.peer = PeerCertificate.of(chain[0]);
        this.remote = channel.remoteAddress();
    }

    /** The connection state of {@code channel}: the channel itself or, for an HTTP/2 stream, its parent. */
    static VendorConnection of(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        return connection.attr(KEY).get();
    }

    /** The token this connection presented last, for {@link dev.vendorgate.gateway.token.TokenVerifier#check}. */
    dev.vendorgate.gateway.token.TokenVerifier.Memo lastToken() {
        return lastToken;
    }

    /** {@code x5t#S256} of the client certificate: what bound tokens must name (RFC 8705). */
    public String thumbprint() {
        if (thumbprint == null) {
            thumbprint = dev.vendorgate.gateway.token.TokenIssuer.thumbprint(peer.sha256());
        }
        return thumbprint;
    }

    /**
     * The client certificate as an RFC 9440 {@code Client-Cert} field value: its DER as a
     * structured-field byte sequence, {@code :base64:}. Computed once per connection.
     */
    public String clientCertField() {
        if (clientCertField == null) {
            try {
                clientCertField = ":" + Base64.getEncoder().encodeToString(chain[0].getEncoded()) + ":";
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a certificate from the handshake cannot be encoded", e);
            }
        }
        return clientCertField;
    }

    public PeerCertificate peer() {
        return peer;
    }

    /** The client certificate presented on this connection. */
    public X509Certificate certificate() {
        return chain[0];
    }

    public SocketAddress remote() {
        return remote;
    }

    private String remoteText;

    /** {@link #remote()} as audit records write it, formatted once for the connection's requests. */
    String remoteText() {
        String text = remoteText;
        if (text == null) {
            remoteText = text = AuditEntry.address(remote);
        }
        return text;
    }

    /**
     * The vendor under the current policy, or null when refused (then see {@link #refusal()}).
     * The first time the connection serves a vendor it is registered under it, whether that is
     * at the handshake or at a request after a reload added the vendor: the kill switch finds
     * every connection by the vendor it is serving.
     */
    Vendor identify(GatewayState state) {
        GatewaySnapshot snapshot = state.snapshot();
        if (snapshot != identifiedWith) {
            identifiedWith = snapshot;
            decide(snapshot);
        }
        if (vendor != null && !registered) {
            registered = true;
            state.certificates()
                    .clientSeen(
                            vendor.id(), peer.sha256(), chain[0].getNotAfter().toInstant());
            state.connections().register(vendor.id(), channel);
            state.clients()
                    .connected(
                            vendor.id(),
                            peer.clientId(),
                            peer.sha256(),
                            chain[0].getNotAfter().toInstant(),
                            channel);
            int max = vendor.limits().maxConnections();
            overConnectionLimit = max > 0 && state.connections().count(vendor.id()) > max;
        }
        return vendor;
    }

    void exchangeStarted() {
        activeExchanges++;
    }

    void exchangeEnded() {
        activeExchanges--;
    }

    /** Asks for the connection to close as soon as its current request has finished (drain). */
    void closeWhenIdle() {
        closeWhenIdle = true;
    }

    boolean closingWhenIdle() {
        return closeWhenIdle;
    }

    boolean overConnectionLimit() {
        return overConnectionLimit;
    }

    /** The TLS handler's context and, once chosen, the HTTP/2 codec: a cut of many connections reads them here. */
    private ChannelHandlerContext tls;

    private Http2FrameCodec http2;

    void tls(ChannelHandlerContext tls) {
        this.tls = tls;
    }

    /** The TLS handler's context (closing from it goes straight to the socket), or null if it left the pipeline. */
    ChannelHandlerContext tls() {
        ChannelHandlerContext context = tls;
        return context == null || context.isRemoved() ? null : context;
    }

    void http2(Http2FrameCodec codec) {
        this.http2 = codec;
    }

    /** The connection's HTTP/2 codec, or null for HTTP/1.1. */
    Http2FrameCodec http2() {
        return http2;
    }

    /** Records that a kill switch is cutting this connection (for the audit records of requests in flight). */
    void markCut() {
        cut = true;
    }

    /** Whether a kill switch cut this connection (its socket is closed, or being closed in the same task). */
    boolean cut() {
        return cut;
    }

    /** Requests being forwarded on this connection now (read from other threads for status only). */
    public int activeExchanges() {
        return activeExchanges;
    }

    /** Whether a request is being forwarded on this connection (any stream). */
    public boolean busy() {
        return activeExchanges > 0;
    }

    /** The state of a registered connection channel, or null. */
    public static VendorConnection on(Channel connection) {
        return connection.attr(KEY).get();
    }

    AccessDecision.Deny refusal() {
        return refusal;
    }

    private void decide(GatewaySnapshot snapshot) {
        vendor = null;
        refusal = null;
        AccessPolicy.Identification identification = snapshot.access().identifyVendor(peer);
        if (identification instanceof AccessPolicy.Identification.Refused refused) {
            refusal = refused.deny();
            return;
        }
        Vendor identified = ((AccessPolicy.Identification.Identified) identification).vendor();
        GatewaySnapshot.PinnedCa pinned = snapshot.pinnedCas().get(identified.id());
        if (pinned != null) {
            try {
                ClientCertificateTrust.validate(chain, pinned.anchors(), pinned.certificates(), List.of());
            } catch (CertificateException e) {
                refusal = new AccessDecision.Deny(
                        DenyReason.VENDOR_CA_MISMATCH,
                        "The client certificate " + "matches vendor '" + identified.id()
                                + "' but was not issued by a CA that vendor pinned.");
                return;
            }
        }
        if (boundVendorId == null) {
            boundVendorId = identified.id();
        } else if (!boundVendorId.equals(identified.id())) {
            refusal = new AccessDecision.Deny(
                    DenyReason.UNKNOWN_IDENTITY,
                    "The policy changed and this "
                            + "certificate now belongs to another vendor; open a new connection.");
            return;
        }
        vendor = identified;
    }

    /** The vendor this connection was first identified as (and registered under), or null. */
    String boundVendorId() {
        return boundVendorId;
    }
}
