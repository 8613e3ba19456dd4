package dev.vendorgate.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation the listeners use: BoringSSL through netty-tcnative when its native
 * library loads on this platform (faster handshakes, less garbage), the JDK's otherwise.
 */
public enum TlsProvider {
    OPENSSL("BoringSSL (netty-tcnative)", SslProvider.OPENSSL),
    JDK("JDK", SslProvider.JDK);

    private final String description;
    private final SslProvider nettyProvider;

    TlsProvider(String description, SslProvider nettyProvider) {
        this.description = description;
        this.nettyProvider = nettyProvider;
    }

    /** BoringSSL if available and not refused by {@code preferJdk}. */
    public static TlsProvider detect(boolean preferJdk) {
        return !preferJdk && OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? OPENSSL : JDK;
    }

    /** Why BoringSSL is not available, or null when it is. */
    public static String openSslUnavailabilityCause() {
        Throwable cause = OpenSsl.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause.getMessage());
    }

    public String description() {
        return description;
    }

    SslProvider nettyProvider() {
        return nettyProvider;
    }
}
