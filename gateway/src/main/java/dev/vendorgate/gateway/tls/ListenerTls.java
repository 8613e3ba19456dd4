package dev.vendorgate.gateway.tls;

import dev.vendorgate.policy.ServerTls;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Objects;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The TLS context of one listener and the trust it checks client certificates with. When that
 * trust changes (a CRL is reloaded), {@link #forgetSessions} makes every saved session useless,
 * so that clients do a full handshake, checked against the new lists, instead of resuming.
 */
public final class ListenerTls {

    private static final Logger LOG = Logger.getLogger(ListenerTls.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String listener;
    private final ServerTls config;
    private final TlsProvider provider;
    private final boolean http2;
    private final ClientCertificateTrust trust;
    private volatile SslContext context;

    ListenerTls(
            String listener,
            ServerTls config,
            TlsProvider provider,
            boolean http2,
            ClientCertificateTrust trust,
            SslContext context) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.http2 = http2;
        this.trust = Objects.requireNonNull(trust, "trust");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The context new connections use. */
    public SslContext context() {
        return context;
    }

    public ClientCertificateTrust trust() {
        return trust;
    }

    /**
     * Ends resumption of every session made so far; connections already open are not touched.
     * BoringSSL gets a fresh ticket key (old tickets no longer decrypt) and an emptied session
     * cache. The JDK's stateless ticket keys cannot be replaced, so its context is rebuilt: a new
     * context has new keys and an empty cache. Reads the key files: call off the event loops.
     */
    public void forgetSessions() {
        SslContext current = context;
        if (current.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setTicketKeys(freshTicketKey());
            openSsl.setSessionCacheEnabled(false); // empties the cache
            openSsl.setSessionCacheEnabled(true);
            return;
        }
        invalidateCached(current.sessionContext());
        try {
            context = ServerTlsContexts.newContext(config, provider, http2, trust);
        } catch (TlsFiles.TlsMaterialException e) {
            // every new connection is still checked against the new lists (see ClientCertificateTrust.recheck)
            LOG.warning(() -> "listeners." + listener + ".tls: cannot rebuild the TLS context to end saved "
                    + "sessions, resumed sessions stay possible until they expire: " + e.getMessage());
        }
    }

    private static void invalidateCached(SSLSessionContext sessions) {
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private static OpenSslSessionTicketKey freshTicketKey() {
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        RANDOM.nextBytes(name);
        RANDOM.nextBytes(hmac);
        RANDOM.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }
}
