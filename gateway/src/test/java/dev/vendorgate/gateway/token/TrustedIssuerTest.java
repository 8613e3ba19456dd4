package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.get;
import static dev.vendorgate.gateway.token.TokenSupport.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens from the lab's own identity provider, trusted through its published keys. */
class TrustedIssuerTest {

    @TempDir
    Path dir;

    private static RSAKey idpKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    private static String idpToken(RSAKey key, IssuedCertificate certificate, boolean bound) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer("https://idp.test")
                .audience("lab-data")
                .subject("etl-robot@acme")
                .claim("vendor", "acme")
                .claim("scope", "datasets:read")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID("idp-" + now.toEpochMilli());
        if (bound) {
            claims.claim("cnf", Map.of("x5t#S256", TokenIssuer.thumbprint(certificate.sha256Fingerprint())));
        }
        return sign(
                key,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(JOSEObjectType.JWT)
                        .keyID(key.getKeyID())
                        .build(),
                claims.build());
    }

    @Test
    void tokensOfATrustedIssuerWorkWhenBoundToTheCertificate() throws Exception {
        RSAKey key = idpKey("idp-1");
        TestPki pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        try (GatewayFixture fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
            IssuedCertificate acme = pki.vendor("acme", null);

            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", idpToken(key, acme, true))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", idpToken(key, acme, false))
                            .statusCode())
                    .as("binding required by default")
                    .isEqualTo(401);
            assertThat(get(
                                    fixture,
                                    acme,
                                    HttpClient.Version.HTTP_1_1,
                                    "/datasets/x",
                                    idpToken(idpKey("idp-1"), acme, true))
                            .statusCode())
                    .as("a key the issuer does not publish")
                    .isEqualTo(401);
        }
    }

    @Test
    void whenTheKeySetUrlIsDownCachedKeysStillWorkAndUnknownKeysAreRefused() throws Exception {
        TestPki pki = TestPki.create(dir);
        RSAKey first = idpKey("idp-1");
        AtomicReference<String> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()).toString());
        HttpsServer idp = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext tls = TestPki.serverContext(pki.server(), pki.pki().ca().certificate());
        idp.setHttpsConfigurator(new HttpsConfigurator(tls));
        idp.createContext("/jwks", exchange -> {
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        String url = "https://127.0.0.1:" + idp.getAddress().getPort() + "/jwks";
        try (GatewayFixture fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "\"" + url + "\""),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
            IssuedCertificate acme = pki.vendor("acme", null);
            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", idpToken(first, acme, true))
                            .statusCode())
                    .isEqualTo(200);

            idp.stop(0);
            RSAKey second = idpKey("idp-2");
            published.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString());

            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/y", idpToken(first, acme, true))
                            .statusCode())
                    .as("cached key while the issuer is down")
                    .isEqualTo(200);
            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/z", idpToken(second, acme, true))
                            .statusCode())
                    .as("unknown kid, and the issuer cannot be asked")
                    .isEqualTo(401);
        } finally {
            idp.stop(0);
        }
    }
}
