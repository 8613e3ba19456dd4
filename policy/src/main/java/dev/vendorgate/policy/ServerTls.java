package dev.vendorgate.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings of a listener that authenticates its clients by certificate.
 *
 * @param cert PEM certificate chain of the listener (leaf first)
 * @param key PEM private key of {@code cert} (PKCS#8, SEC1 EC or PKCS#1 RSA)
 * @param clientCa PEM CA certificates that client certificates must chain to
 * @param crl PEM certificate revocation lists for client certificates (may be empty)
 * @param protocols enabled protocol versions, a subset of TLSv1.3 and TLSv1.2
 * @param handshakeTimeout how long a client may take to complete the handshake
 */
public record ServerTls(
        Path cert, Path key, List<Path> clientCa, List<Path> crl, List<String> protocols, Duration handshakeTimeout) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public ServerTls {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        clientCa = List.copyOf(clientCa);
        crl = List.copyOf(crl);
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }
}
