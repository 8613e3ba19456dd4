package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.JSON;
import static dev.vendorgate.gateway.token.TokenSupport.get;
import static dev.vendorgate.gateway.token.TokenSupport.request;
import static dev.vendorgate.gateway.token.TokenSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.MutableClock;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Issuing certificate-bound tokens and using them, as a vendor engineer does. */
class TokenTest {

    @TempDir
    static Path dir;

    static GatewayFixture fixture;
    static final MutableClock clock = MutableClock.ticking();
    static IssuedCertificate acme;
    static IssuedCertificate acme2;
    static IssuedCertificate globex;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)).withClock(clock));
        acme = pki.vendor("acme", "etl-1");
        acme2 = pki.vendor("acme", "etl-2");
        globex = pki.vendor("globex", null);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aTokenFromTheGatewayOpensTheRoutesItsScopesAllow(HttpClient.Version version) throws Exception {
        String token = token(fixture, acme, null);

        HttpResponse<String> response = get(fixture, acme, version, "/datasets/with-token-" + version, token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        TestUpstream.Received seen = fixture.upstream().received().stream()
                .filter(r -> r.uri().equals("/datasets/with-token-" + version))
                .findFirst()
                .orElseThrow();
        assertThat(seen.headers().contains("authorization"))
                .as("the vendor's token stops at the gateway")
                .isFalse();
        // the upstream gets a short-lived assertion it can verify with the gateway's published keys
        SignedJWT assertion = SignedJWT.parse(seen.headers().get("x-gateway-assertion"));
        JWKSet keys = JWKSet.parse(HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + fixture.gateway().metricsAddress().getPort() + "/.well-known/jwks.json"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(assertion.verify(new ECDSAVerifier(
                        keys.getKeyByKeyId(assertion.getHeader().getKeyID()).toECKey())))
                .isTrue();
        assertThat(assertion.getJWTClaimsSet().getStringClaim("vendor")).isEqualTo("acme");
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("spiffe://lab.example/vendor/acme/etl-1");
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly("data");
        assertThat(assertion.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("datasets:read");
        assertThat(assertion.getJWTClaimsSet().getStringClaim("token_id"))
                .isEqualTo(TokenSupport.claims(token).path("jti").asText());
        assertThat(assertion.getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsEntry(
                        "x5t#S256",
                        TokenSupport.claims(token).path("cnf").path("x5t#S256").asText());
        assertThat(assertion.getJWTClaimsSet().getClaim("request_id"))
                .as("names no request: X-Request-Id does")
                .isNull();
    }

    @Test
    void perRequestModeSignsAnAssertionNamingEachRequest() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("per-request"));
        Files.writeString(pki.dir().resolve("idp-jwks.json"), "{\"keys\":[]}");
        try (GatewayFixture own = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS.replace(
                        "  signingKeys: keys/\n", "  signingKeys: keys/\n  upstreamAssertion: { mode: per-request }\n"),
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
            IssuedCertificate caller = pki.vendor("acme", "etl-1");
            String token = token(own, caller, null);
            for (int i = 0; i < 2; i++) {
                assertThat(get(own, caller, HttpClient.Version.HTTP_1_1, "/datasets/each-" + i, token)
                                .statusCode())
                        .isEqualTo(200);
            }
            List<TestUpstream.Received> seen = own.upstream().received().stream()
                    .filter(r -> r.uri().startsWith("/datasets/each-"))
                    .toList();
            assertThat(seen).hasSize(2);
            for (TestUpstream.Received one : seen) {
                assertThat(SignedJWT.parse(one.headers().get("x-gateway-assertion"))
                                .getJWTClaimsSet()
                                .getStringClaim("request_id"))
                        .isEqualTo(one.headers().get("x-request-id"));
            }
            assertThat(seen.get(0).headers().get("x-gateway-assertion"))
                    .isNotEqualTo(seen.get(1).headers().get("x-gateway-assertion"));
        }
    }

    @Test
    void oneCallerGetsOneAssertionWhileItIsFreshAndEachTokenItsOwn() throws Exception {
        String token = token(fixture, acme, null);
        for (int i = 0; i < 3; i++) {
            assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/same-" + i, token)
                            .statusCode())
                    .isEqualTo(200);
        }
        String other = token(fixture, acme, null);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/same-other", other)
                        .statusCode())
                .isEqualTo(200);

        List<TestUpstream.Received> seen = fixture.upstream().received().stream()
                .filter(r -> r.uri().startsWith("/datasets/same-"))
                .toList();
        assertThat(seen).hasSize(4);
        assertThat(seen.stream()
                        .limit(3)
                        .map(r -> r.headers().get("x-gateway-assertion"))
                        .distinct())
                .as("the same caller within half the lifetime: one signature")
                .hasSize(1);
        assertThat(seen.stream()
                        .limit(3)
                        .map(r -> r.headers().get("x-request-id"))
                        .distinct())
                .hasSize(3);
        assertThat(seen.get(3).headers().get("x-gateway-assertion"))
                .as("another token is another caller")
                .isNotEqualTo(seen.get(0).headers().get("x-gateway-assertion"));
    }

    @Test
    void issuedTokensAreBoundShortLivedAccessTokens() throws Exception {
        HttpResponse<String> response = request(fixture, acme, "grant_type=client_credentials&scope=annotations:write");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("cache-control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(300);
        assertThat(body.path("scope").asText()).isEqualTo("annotations:write");
        String token = body.path("access_token").asText();
        JsonNode header = TokenSupport.header(token);
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(header.path("typ").asText()).isEqualTo("at+jwt");
        JsonNode claims = TokenSupport.claims(token);
        assertThat(claims.path("iss").asText()).isEqualTo("https://gateway.test");
        assertThat(claims.path("aud").asText()).isEqualTo("lab-data");
        assertThat(claims.path("sub").asText()).isEqualTo("spiffe://lab.example/vendor/acme/etl-1");
        assertThat(claims.path("client_id").asText()).isEqualTo("spiffe://lab.example/vendor/acme/etl-1");
        assertThat(claims.path("vendor").asText()).isEqualTo("acme");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
        assertThat(claims.path("jti").asText()).hasSizeGreaterThan(16);
        assertThat(claims.path("cnf").path("x5t#S256").asText())
                .isEqualTo(TokenIssuer.thumbprint(acme.sha256Fingerprint()));
    }

    @Test
    void scopesCanBeNarrowedButNotWidened() throws Exception {
        String writeOnly = token(fixture, acme, "annotations:write");

        HttpResponse<String> read = get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", writeOnly);
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.body()).contains("insufficient-scope");
        assertThat(read.headers().firstValue("www-authenticate"))
                .get()
                .asString()
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"datasets:read\"");

        HttpResponse<String> wider = request(fixture, globex, "grant_type=client_credentials&scope=annotations:write");
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wider.body()).path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void scopesAreCheckedPerMethod() throws Exception {
        String write = token(fixture, acme, "annotations:write");
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);

        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(fixture.uri("/annotations/a"))
                        .header("Authorization", "Bearer " + write)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = client.send(
                HttpRequest.newBuilder(fixture.uri("/annotations/a"))
                        .header("Authorization", "Bearer " + write)
                        .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(put.statusCode()).as("PUT also needs annotations:overwrite").isEqualTo(403);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "scope=datasets:read                                       | 400 | invalid_request",
                "grant_type=password&username=a&password=b                 | 400 | unsupported_grant_type",
                "grant_type=client_credentials&scope=admin                 | 400 | invalid_scope",
                "grant_type=client_credentials&grant_type=client_credentials | 400 | invalid_request",
                "grant_type=client_credentials&client_id=spiffe://lab.example/vendor/acme/other | 401 | invalid_client",
            })
    void tokenRequestErrorsFollowRfc6749(String form, int status, String error) throws Exception {
        HttpResponse<String> response = request(fixture, acme, form);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo(error);
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void theTokenEndpointWantsAFormPost() throws Exception {
        HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        assertThat(client.send(
                                HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(405);
        assertThat(client.send(
                                HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"grant_type\":\"client_credentials\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void metadataAndKeysArePublished() throws Exception {
        JsonNode metadata = JSON.readTree(
                get(fixture, acme, HttpClient.Version.HTTP_1_1, "/.well-known/oauth-authorization-server", null)
                        .body());
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo("https://gateway.test/oauth2/token");
        assertThat(metadata.path("tls_client_certificate_bound_access_tokens").asBoolean())
                .isTrue();
        JsonNode jwks = JSON.readTree(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/.well-known/jwks.json", null)
                .body());
        assertThat(jwks.path("keys")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }

    @Test
    void aRouteWithScopesNeedsAToken() throws Exception {
        HttpResponse<String> response = get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("token-required");
        assertThat(response.headers().firstValue("www-authenticate")).contains("Bearer realm=\"vendorgate\"");
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/open/x", null)
                        .statusCode())
                .as("a route without scopes needs only the certificate")
                .isEqualTo(200);
    }

    @Test
    void aTokenReplayedWithAnotherVendorsCertificateIsRefused() throws Exception {
        String stolen = token(fixture, acme, null);

        HttpResponse<String> response = get(fixture, globex, HttpClient.Version.HTTP_1_1, "/datasets/x", stolen);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate"))
                .get()
                .asString()
                .contains("error=\"invalid_token\"");
    }

    @Test
    void aTokenReplayedWithAnotherCertificateOfTheSameVendorIsRefused() throws Exception {
        String stolen = token(fixture, acme, null);

        HttpResponse<String> response = get(fixture, acme2, HttpClient.Version.HTTP_2, "/datasets/x", stolen);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate"))
                .get()
                .asString()
                .contains("not bound to the client certificate");
    }

    @Test
    void onOneKeepAliveConnectionTheSameTokenIsCheckedAgainOnEveryRequest() throws Exception {
        // a connection remembers the token it presented last: a revocation and a cut-off must still reach it
        IssuedCertificate operator = fixture.pki().pki().operator("oncall");
        String token = token(fixture, acme, null);
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            assertThat(rawStatus(client, token)).isEqualTo(200);
            assertThat(rawStatus(client, "bearer  " + token))
                    .as("another spelling of it")
                    .isEqualTo(200);
            assertThat(rawStatus(client, token)).isEqualTo(200);
            assertThat(rawStatus(client, token)).as("the same header again").isEqualTo(200);

            String jti = TokenSupport.claims(token).path("jti").asText();
            assertThat(fixture.admin(
                                    operator,
                                    "POST",
                                    "/admin/revocations",
                                    "{\"kind\":\"token\",\"subject\":\"" + jti + "\",\"reason\":\"leaked\"}")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(rawStatus(client, token))
                    .as("revoked, on the connection that used it a moment ago")
                    .isEqualTo(401);
            assertThat(rawStatus(client, token + "x")).as("a forged neighbour").isEqualTo(401);
        }
    }

    private static int rawStatus(RawHttpsClient client, String token) throws Exception {
        client.send("GET /datasets/keep-alive HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + (token.regionMatches(true, 0, "bearer", 0, 6) ? token : "Bearer " + token) + "\r\n\r\n");
        RawHttpsClient.Head head = client.readHead();
        client.readBody(head.contentLength());
        return head.status();
    }

    @Test
    void revocationTakesEffectOnTheNextRequestEvenForCachedTokens() throws Exception {
        IssuedCertificate operator = fixture.pki().pki().operator("oncall");
        String one = token(fixture, acme, null);
        String two = token(fixture, acme, null);
        String other = token(fixture, acme2, null);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", one)
                        .statusCode())
                .isEqualTo(200);

        String jti = TokenSupport.claims(one).path("jti").asText();
        assertThat(fixture.admin(
                                operator,
                                "POST",
                                "/admin/revocations",
                                "{\"kind\":\"token\",\"subject\":\"" + jti + "\",\"reason\":\"leaked in a log\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", one)
                        .statusCode())
                .isEqualTo(401);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", two)
                        .statusCode())
                .isEqualTo(200);

        assertThat(fixture.admin(
                                operator,
                                "POST",
                                "/admin/revocations",
                                "{\"kind\":\"client\",\"subject\":\"spiffe://lab.example/vendor/acme/etl-1\",\"reason\":\"host reimaged\"}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> revoked = get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", two);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
        assertThat(get(fixture, acme2, HttpClient.Version.HTTP_1_1, "/datasets/x", other)
                        .statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofMillis(1100)); // tokens issued in the revocation's own second count as before it
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", token(fixture, acme, null))
                        .statusCode())
                .as("a new token after the revocation works")
                .isEqualTo(200);
    }

    @Test
    void spellingsOfOneTokenShareItsCacheEntryAndItsRevocation() throws Exception {
        String token = token(fixture, acme, null);
        TokenVerifier verifier =
                fixture.gateway().state().snapshot().tokens().orElseThrow().verifier();
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", token)
                        .statusCode())
                .isEqualTo(200);
        long cached = verifier.cached();
        // RFC 6750: the scheme is case-insensitive; extra spaces are tolerated
        for (String spelling : new String[] {"bearer " + token, "BEARER " + token, "Bearer   " + token}) {
            assertThat(withAuthorization(spelling).statusCode())
                    .as(spelling.substring(0, 9))
                    .isEqualTo(200);
        }
        assertThat(verifier.cached()).as("one entry for every spelling").isEqualTo(cached);

        String jti = TokenSupport.claims(token).path("jti").asText();
        assertThat(fixture.admin(
                                fixture.pki().pki().operator("oncall"),
                                "POST",
                                "/admin/revocations",
                                "{\"kind\":\"token\",\"subject\":\"" + jti + "\",\"reason\":\"test\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(withAuthorization("bearer " + token).statusCode()).isEqualTo(401);
        assertThat(withAuthorization("Bearer " + token).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> withAuthorization(String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(fixture.uri("/datasets/x"))
                .header("Authorization", value)
                .GET()
                .build();
        return fixture.client(acme, HttpClient.Version.HTTP_1_1).send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensIssuedBeforeASuspensionStayDeadAfterResume() throws Exception {
        IssuedCertificate operator = fixture.pki().pki().operator("oncall");
        String before = token(fixture, globex, null);
        assertThat(get(fixture, globex, HttpClient.Version.HTTP_1_1, "/datasets/x", before)
                        .statusCode())
                .isEqualTo(200);

        assertThat(fixture.admin(operator, "POST", "/admin/vendors/globex/suspend", "{\"reason\":\"breach\"}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> whileSuspended = request(fixture, globex, "grant_type=client_credentials");
        assertThat(whileSuspended.statusCode()).isEqualTo(400);
        assertThat(whileSuspended.body()).contains("unauthorized_client");
        assertThat(fixture.admin(operator, "POST", "/admin/vendors/globex/resume", "{\"reason\":\"fixed\"}")
                        .statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofMillis(1100)); // past the resume's own second

        assertThat(get(fixture, globex, HttpClient.Version.HTTP_1_1, "/datasets/x", before)
                        .statusCode())
                .isEqualTo(401);
        assertThat(get(fixture, globex, HttpClient.Version.HTTP_1_1, "/datasets/x", token(fixture, globex, null))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void keyRotationKeepsOldTokensValidUntilTheyExpire() throws Exception {
        String before = token(fixture, acme, null);
        String oldKid = TokenSupport.header(before).path("kid").asText();

        SigningKeys.rotate(dir.resolve("keys"));
        fixture.gateway().state().snapshot().tokens().orElseThrow().maintain(clock.instant());

        String after = token(fixture, acme, null);
        assertThat(TokenSupport.header(after).path("kid").asText()).isNotEqualTo(oldKid);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", before)
                        .statusCode())
                .isEqualTo(200);
        assertThat(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/x", after)
                        .statusCode())
                .isEqualTo(200);
        JsonNode jwks = JSON.readTree(get(fixture, acme, HttpClient.Version.HTTP_1_1, "/.well-known/jwks.json", null)
                .body());
        assertThat(jwks.path("keys").findValuesAsText("kid")).hasSize(3).contains(oldKid);
    }

    @Test
    void tokensNeverAppearInTheAuditTrail() throws Exception {
        String token = token(fixture, acme, null);
        get(fixture, acme, HttpClient.Version.HTTP_1_1, "/datasets/audited", token);
        String jti = TokenSupport.claims(token).path("jti").asText();
        await("the request is in the trail").atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("audit"))) {
                for (Path file :
                        files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                    if (Files.readString(file).contains("/datasets/audited")) {
                        return true;
                    }
                }
            }
            return false;
        });

        for (Path file : Files.list(dir.resolve("audit"))
                .filter(p -> p.toString().endsWith(".jsonl"))
                .toList()) {
            String trail = Files.readString(file);
            assertThat(trail).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
            assertThat(trail).contains(TokenSupport.claims(token).path("jti").asText());
        }
    }
}
