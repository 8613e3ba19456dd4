package dev.vendorgate.gateway.token;

import static dev.vendorgate.gateway.token.TokenSupport.JSON;
import static dev.vendorgate.gateway.token.TokenSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of {@code POST /oauth2/token} is an RFC 6749 section 5.2 error, also those made
 * before the request reaches the issuer (who is asking, rates): an OAuth client library reads
 * {@code error} and {@code error_description}, not a problem document.
 */
class TokenEndpointErrorsTest {

    @TempDir
    Path dir;

    private GatewayFixture fixture;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        String policy = Policies.WITH_TOKENS.replace("""
                    scopes: [datasets:read]
                operators:""", """
                    scopes: [datasets:read]
                    limits: { requestsPerSecond: 0.01, burst: 1 }
                operators:""");
        fixture = GatewayFixture.start(
                dev.vendorgate.gateway.testing.TestPki.create(dir),
                policy,
                java.util.Map.of("IDP_JWKS", "idp-jwks.json"),
                dev.vendorgate.gateway.GatewayOptions.DEFAULTS.withShutdownGrace(java.time.Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCertificateOfNoVendorIsInvalidClient() throws Exception {
        IssuedCertificate initech = fixture.pki().vendor("initech", null); // trusted CA, no vendor of that name

        HttpResponse<String> response = request(fixture, initech, "grant_type=client_credentials");

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = oauthError(response);
        assertThat(body.path("error").asText()).isEqualTo("invalid_client");
        assertThat(body.path("error_description").asText()).contains("certificate");
        assertThat(response.headers().firstValue("www-authenticate"))
                .as("the client authenticates with its TLS certificate, not an HTTP scheme")
                .isEmpty();
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void aClientIdOfAnotherIdentityIsInvalidClientWithoutABearerChallenge() throws Exception {
        IssuedCertificate acme = fixture.pki().vendor("acme", "etl-1");

        HttpResponse<String> response = request(
                fixture, acme, "grant_type=client_credentials&client_id=spiffe://lab.example/vendor/acme/other");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(oauthError(response).path("error").asText()).isEqualTo("invalid_client");
        assertThat(response.headers().firstValue("www-authenticate")).isEmpty();
    }

    @Test
    void aRateLimitedTokenRequestIs429WithRetryAfterAndAnOauthBody() throws Exception {
        IssuedCertificate globex = fixture.pki().vendor("globex", null);
        assertThat(request(fixture, globex, "grant_type=client_credentials").statusCode())
                .isEqualTo(200);

        HttpResponse<String> limited = request(fixture, globex, "grant_type=client_credentials");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        JsonNode body = oauthError(limited);
        assertThat(body.path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(body.path("error_description").asText()).contains("requests per second", "retry after");
    }

    /** The body as RFC 6749 gives it: JSON with error and error_description, and nothing of a problem document. */
    private static JsonNode oauthError(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("cache-control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("error", "error_description");
        return body;
    }
}
