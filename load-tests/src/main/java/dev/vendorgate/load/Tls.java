package dev.vendorgate.load;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** Client TLS contexts from PEM files: BoringSSL for load, the JDK's for one-off calls. */
final class Tls {

    private Tls() {}

    /** A client context presenting {@code cert}/{@code key}, trusting {@code ca}, offering {@code h2} or HTTP/1.1. */
    static SslContext client(Path cert, Path key, Path ca, boolean h2) throws SSLException {
        String protocol = h2 ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1;
        return SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .keyManager(cert.toFile(), key.toFile())
                .trustManager(ca.toFile())
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        protocol))
                .build();
    }

    /** A JDK {@link SSLContext} for {@link java.net.http.HttpClient} calls (tokens, the admin API). */
    static SSLContext jdk(Path cert, Path key, Path ca) throws SSLException {
        JdkSslContext context = (JdkSslContext) SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(cert.toFile(), key.toFile())
                .trustManager(ca.toFile())
                .build();
        return context.context();
    }
}
