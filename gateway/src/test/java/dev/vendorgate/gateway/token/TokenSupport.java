package dev.vendorgate.gateway.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Getting tokens from the gateway, and forging them, for the token tests. */
final class TokenSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private TokenSupport() {}

    /** POSTs a token request with {@code certificate} and returns the response. */
    static HttpResponse<String> request(GatewayFixture fixture, IssuedCertificate certificate, String form)
            throws Exception {
        return fixture.client(certificate, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** A token for {@code certificate}, or fails. */
    static String token(GatewayFixture fixture, IssuedCertificate certificate, String scope) throws Exception {
        HttpResponse<String> response = request(
                fixture,
                certificate,
                "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope.replace(" ", "%20")));
        if (response.statusCode() != 200) {
            throw new AssertionError("token request failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    static HttpResponse<String> get(
            GatewayFixture fixture,
            IssuedCertificate certificate,
            HttpClient.Version version,
            String path,
            String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return fixture.client(certificate, version).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64URL.from(token.split("\\.")[1]).decode());
    }

    static JsonNode header(String token) throws Exception {
        return JSON.readTree(Base64URL.from(token.split("\\.")[0]).decode());
    }

    /** The gateway's current signing key, read from its folder (as an attacker with disk access could not). */
    static ECKey gatewayKey(Path dir) throws Exception {
        return ECKey.parse(Files.readString(dir.resolve("keys/current.jwk")));
    }

    /** Claims as the gateway would issue them to {@code certificate}, a client of {@code vendor}, now. */
    static JWTClaimsSet.Builder claims(IssuedCertificate certificate, String vendor, String scope) {
        String clientId = "spiffe://lab.example/vendor/" + vendor;
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer("https://gateway.test")
                .audience("lab-data")
                .subject(clientId)
                .claim("vendor", vendor)
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID("forged-" + now.toEpochMilli())
                .claim("cnf", Map.of("x5t#S256", TokenIssuer.thumbprint(certificate.sha256Fingerprint())));
    }

    static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static JWSHeader.Builder es256(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("at+jwt"))
                .keyID(kid);
    }

    /** Assembles a token from raw JSON parts and a signature, for malformed-token cases. */
    static String raw(String header, String payload, byte[] signature) {
        return Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + Base64URL.encode(signature);
    }
}
