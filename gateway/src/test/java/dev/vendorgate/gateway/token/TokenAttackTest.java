package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.claims;
import static dev.vendorgate.gateway.token.TokenSupport.es256;
import static dev.vendorgate.gateway.token.TokenSupport.get;
import static dev.vendorgate.gateway.token.TokenSupport.raw;
import static dev.vendorgate.gateway.token.TokenSupport.sign;
import static dev.vendorgate.gateway.token.TokenSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JWT attacks of RFC 8725 and of the usual tools, each against the running gateway: every one
 * is a 401 with {@code invalid_token}, never a success and never a 500. Tokens are forged with the
 * gateway's real key where the attack needs a valid signature, to prove the claim checks hold.
 */
class TokenAttackTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static IssuedCertificate acme;
    static ECKey gatewayKey;
    static ECKey attackerKey;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        acme = pki.vendor("acme", null);
        gatewayKey = TokenSupport.gatewayKey(dir);
        attackerKey =
                new ECKeyGenerator(Curve.P_256).keyID(gatewayKey.getKeyID()).generate();
        token(fixture, acme, null); // the gateway works for honest tokens
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String valid(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change) throws Exception {
        return sign(
                gatewayKey,
                es256(gatewayKey.getKeyID()).build(),
                change.apply(claims(acme, "acme", "datasets:read")).build());
    }

    private static String header(String json) throws Exception {
        String payload = claims(acme, "acme", "datasets:read").build().toString();
        return raw(json, payload, new byte[64]);
    }

    static Stream<Arguments> attacks() throws Exception {
        Instant now = Instant.now();
        String kid = gatewayKey.getKeyID();
        String payload = claims(acme, "acme", "datasets:read").build().toString();
        SignedJWT hmac = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(new JOSEObjectType("at+jwt"))
                        .keyID(kid)
                        .build(),
                claims(acme, "acme", "datasets:read").build());
        byte[] publicKeyAsSecret = gatewayKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        hmac.sign(new MACSigner(java.util.Arrays.copyOf(publicKeyAsSecret, Math.max(32, publicKeyAsSecret.length))));
        String signingInput = Base64URL.encode(es256(kid).build().toString()) + "." + Base64URL.encode(payload);
        StringBuilder nested = new StringBuilder();
        nested.append("[".repeat(60)).append("]".repeat(60));
        return Stream.of(
                Arguments.of("alg none", raw("{\"alg\":\"none\",\"typ\":\"at+jwt\"}", payload, new byte[0])),
                Arguments.of("alg NONE", raw("{\"alg\":\"NONE\",\"typ\":\"at+jwt\"}", payload, new byte[0])),
                Arguments.of("alg nOnE", raw("{\"alg\":\"nOnE\",\"typ\":\"at+jwt\"}", payload, new byte[0])),
                Arguments.of(
                        "alg none, no signature part",
                        Base64URL.encode("{\"alg\":\"none\"}") + "." + Base64URL.encode(payload) + "."),
                Arguments.of("HS256 signed with the public key", hmac.serialize()),
                Arguments.of(
                        "embedded jwk of the attacker",
                        sign(
                                attackerKey,
                                es256(kid).jwk(attackerKey.toPublicJWK()).build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "attacker's key under the gateway's kid",
                        sign(
                                attackerKey,
                                es256(kid).build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "jku header",
                        sign(
                                gatewayKey,
                                es256(kid)
                                        .jwkURL(URI.create("https://evil.example/jwks"))
                                        .build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "x5u header",
                        sign(
                                gatewayKey,
                                es256(kid)
                                        .x509CertURL(URI.create("https://evil.example/c.pem"))
                                        .build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "kid path traversal",
                        sign(
                                gatewayKey,
                                es256("../../../../dev/null").build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "kid injection", header("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"x' OR '1'='1\"}")),
                Arguments.of(
                        "expired",
                        valid(c -> c.issueTime(Date.from(now.minusSeconds(900)))
                                .notBeforeTime(Date.from(now.minusSeconds(900)))
                                .expirationTime(Date.from(now.minusSeconds(600))))),
                Arguments.of("not yet valid", valid(c -> c.notBeforeTime(Date.from(now.plusSeconds(600))))),
                Arguments.of("issued in the future", valid(c -> c.issueTime(Date.from(now.plusSeconds(600))))),
                Arguments.of("wrong audience", valid(c -> c.audience("other-api"))),
                Arguments.of("wrong issuer", valid(c -> c.issuer("https://evil.example"))),
                Arguments.of("missing exp", valid(c -> c.expirationTime(null))),
                Arguments.of("missing jti", valid(c -> c.jwtID(null))),
                Arguments.of("unbound (no cnf)", valid(c -> c.claim("cnf", null))),
                Arguments.of(
                        "bound to another certificate",
                        valid(c -> c.claim(
                                "cnf",
                                Map.of(
                                        "x5t#S256",
                                        TokenIssuer.thumbprint(fixture.pki()
                                                .vendor("acme", "x")
                                                .sha256Fingerprint()))))),
                Arguments.of("issued to another vendor", valid(c -> c.claim("vendor", "globex"))),
                Arguments.of(
                        "unknown crit",
                        sign(
                                gatewayKey,
                                es256(kid)
                                        .criticalParams(Set.of("exp-ext"))
                                        .customParam("exp-ext", 1)
                                        .build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of(
                        "typ JWT instead of at+jwt",
                        sign(
                                gatewayKey,
                                new JWSHeader.Builder(JWSAlgorithm.ES256)
                                        .type(JOSEObjectType.JWT)
                                        .keyID(kid)
                                        .build(),
                                claims(acme, "acme", "datasets:read").build())),
                Arguments.of("ECDSA r = s = 0", signingInput + "." + Base64URL.encode(new byte[64])),
                Arguments.of(
                        "duplicate claims",
                        raw(
                                "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}",
                                payload.replace("\"vendor\":\"acme\"", "\"vendor\":\"acme\",\"vendor\":\"globex\""),
                                new byte[64])),
                Arguments.of(
                        "deeply nested JSON",
                        raw(
                                "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}",
                                payload.replace("{", "{\"n\":" + nested + ","),
                                new byte[64])),
                Arguments.of("oversized", valid(c -> c.claim("pad", "x".repeat(10_000)))),
                Arguments.of("garbage", "not.a.jwt"),
                Arguments.of("two parts", "eyJhbGciOiJFUzI1NiJ9.eyJ9"),
                Arguments.of("bad base64", "eyJhbGci!!.eyJ9.AA"),
                Arguments.of(
                        "signature of another token",
                        swapSignature(valid(c -> c.claim("scope", "annotations:write")), valid(c -> c))));
    }

    /** The header and claims of {@code claimsFrom} with the signature of {@code signatureFrom}. */
    private static String swapSignature(String claimsFrom, String signatureFrom) {
        return claimsFrom.substring(0, claimsFrom.lastIndexOf('.'))
                + signatureFrom.substring(signatureFrom.lastIndexOf('.'));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefusedAsAnInvalidToken(String attack, String token) throws Exception {
        int before = fixture.upstream().received().size();

        HttpResponse<String> response = get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/attack", token);

        assertThat(response.statusCode()).as(attack + ": " + response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate"))
                .get()
                .asString()
                .contains("error=\"invalid_token\"");
        assertThat(response.body()).doesNotContain(token).doesNotContain("Exception");
        assertThat(fixture.upstream().received()).hasSize(before);
    }
}
