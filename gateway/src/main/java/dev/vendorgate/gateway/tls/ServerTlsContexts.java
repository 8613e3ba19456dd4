package dev.vendorgate.gateway.tls;

import dev.vendorgate.policy.ServerTls;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the server-side TLS contexts of the listeners: TLS 1.2 and 1.3 only, forward-secret
 * AEAD suites only, a client certificate required and checked by {@link ClientCertificateTrust}.
 * Sessions (TLS 1.2 session ids, TLS 1.3 and 1.2 tickets) can be resumed for
 * {@link #SESSION_TIMEOUT_SECONDS}; see docs/security.md for why and what it costs.
 */
public final class ServerTlsContexts {

    /** How long a session can be resumed: tickets and cache entries alike. */
    public static final int SESSION_TIMEOUT_SECONDS = 300;
    /** How many sessions the server-side cache keeps (TLS 1.2 session ids); tickets need no cache. */
    public static final int SESSION_CACHE_SIZE = 10_000;

    private ServerTlsContexts() {}

    /**
     * The TLS of listener {@code name}, configured by {@code tls}.
     *
     * @param http2 whether to offer h2 by ALPN (the vendor listener) or HTTP/1.1 only (admin)
     */
    public static ListenerTls build(String name, ServerTls tls, TlsProvider provider, boolean http2)
            throws TlsFiles.TlsMaterialException {
        List<X509Certificate> clientCas = TlsFiles.certificates(tls.clientCa());
        ServerKeys.requireCas(tls.clientCa());
        List<X509CRL> crls = TlsFiles.crls(tls.crl());
        ClientCertificateTrust trust = new ClientCertificateTrust(clientCas, crls);
        return new ListenerTls(name, tls, provider, http2, trust, newContext(tls, provider, http2, trust));
    }

    /** A new server context for {@code tls} checking client certificates with {@code trust}. */
    static SslContext newContext(ServerTls tls, TlsProvider provider, boolean http2, ClientCertificateTrust trust)
            throws TlsFiles.TlsMaterialException {
        // clear errors for a bad certificate file or a key of another certificate, before Netty's
        List<X509Certificate> chain = TlsFiles.certificates(tls.cert());
        java.security.PrivateKey key = ServerKeys.matching(tls.key(), tls.cert(), chain);
        List<String> alpn = http2
                ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
        try {
            return SslContextBuilder.forServer(key, chain)
                    .sslProvider(provider.nettyProvider())
                    .protocols(tls.protocols())
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .clientAuth(ClientAuth.REQUIRE)
                    // BoringSSL's alert comes from an error code, which OpenSslAlerts gives it
                    .trustManager(provider == TlsProvider.OPENSSL ? new OpenSslAlerts(trust) : trust)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                    .sessionCacheSize(SESSION_CACHE_SIZE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            alpn))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsFiles.TlsMaterialException(
                    "cannot use certificate " + tls.cert() + " with key " + tls.key() + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
