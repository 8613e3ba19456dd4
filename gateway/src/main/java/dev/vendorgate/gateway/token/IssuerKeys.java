package dev.vendorgate.gateway.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.vendorgate.gateway.tls.TlsFiles;
import dev.vendorgate.policy.TokensSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The public keys of a trusted external issuer: read from a JWKS file or fetched from an HTTPS
 * URL, off the event loops, and cached. If the URL is down the cached keys keep working; a key id
 * not in the cache triggers a refresh at most once per {@link #MIN_REFRESH}, and is refused
 * meanwhile rather than waited for.
 */
final class IssuerKeys {

    static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    static final int MAX_JWKS_BYTES = 256 * 1024;
    private static final Logger LOG = Logger.getLogger(IssuerKeys.class.getName());

    private final TokensSpec.TrustedIssuer spec;
    private final Executor background;
    private final HttpClient client;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile JWKSet keys = new JWKSet();
    private volatile long lastAttemptNanos = System.nanoTime() - MIN_REFRESH.toNanos() - 1;

    IssuerKeys(TokensSpec.TrustedIssuer spec, Executor background) throws IOException {
        this.spec = spec;
        this.background = background;
        this.client = spec.jwksUrl().isPresent() ? client(spec.jwksCa()) : null;
    }

    private static HttpClient client(List<java.nio.file.Path> cas) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!cas.isEmpty()) {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : TlsFiles.certificates(cas)) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                builder.sslContext(context);
            } catch (TlsFiles.TlsMaterialException e) {
                throw new IOException(e.getMessage());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot trust the JWKS CA: " + e.getMessage());
            }
        }
        return builder.build();
    }

    TokensSpec.TrustedIssuer spec() {
        return spec;
    }

    /** Fetches or reads the keys now; blocking. Keeps the previous keys if it fails. */
    void refresh() {
        lastAttemptNanos = System.nanoTime();
        try {
            String json;
            if (spec.jwksFile().isPresent()) {
                json = Files.readString(spec.jwksFile().get(), StandardCharsets.UTF_8);
            } else {
                HttpResponse<byte[]> response = client.send(
                        HttpRequest.newBuilder(spec.jwksUrl().get())
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                if (response.body().length > MAX_JWKS_BYTES) {
                    throw new IOException("the key set is larger than " + MAX_JWKS_BYTES + " bytes");
                }
                json = new String(response.body(), StandardCharsets.UTF_8);
            }
            JWKSet parsed = JWKSet.parse(json);
            keys = new JWKSet(
                    parsed.getKeys().stream().filter(k -> !k.isPrivate()).toList());
        } catch (IOException | ParseException e) {
            LOG.warning(() -> "cannot refresh the keys of issuer " + spec.issuer() + " from "
                    + spec.jwksFile()
                            .map(Object::toString)
                            .orElse(spec.jwksUrl().map(Object::toString).orElse("?"))
                    + ": " + e.getMessage() + "; keeping " + keys.getKeys().size() + " cached keys");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The key with {@code kid}, or null (then a refresh is started in the background, rate-limited). */
    JWK key(String kid) {
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (key == null
                && System.nanoTime() - lastAttemptNanos > MIN_REFRESH.toNanos()
                && refreshing.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    refresh();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return key;
    }

    int size() {
        return keys.getKeys().size();
    }
}
