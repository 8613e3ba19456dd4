package dev.vendorgate.gateway.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.policy.TokensSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Everything token-related for one policy: the signing keys (watched for rotation), the issuer,
 * the verifier with its cache, the keys of trusted issuers, and upstream assertions. Built off the
 * event loops when a policy is loaded.
 */
public final class Tokens {

    private static final Logger LOG = Logger.getLogger(Tokens.class.getName());
    /** Writes the token responses and metadata. */
    static final ObjectMapper JSON = new ObjectMapper();

    private final TokensSpec spec;
    private volatile SigningKeys keys;
    private final Map<String, IssuerKeys> trusted;
    private final TokenIssuer issuer;
    private final TokenVerifier verifier;
    private final UpstreamAssertions assertions;

    private Tokens(TokensSpec spec, SigningKeys keys, Map<String, IssuerKeys> trusted) {
        this.spec = spec;
        this.keys = keys;
        this.trusted = trusted;
        this.issuer = new TokenIssuer(spec, this::keys);
        this.verifier = new TokenVerifier(spec, this::keys, trusted);
        this.assertions = new UpstreamAssertions(
                spec.issuer(),
                spec.assertionTtl(),
                spec.assertionPerRequest(),
                issuer,
                () -> keys().current().getKeyID());
    }

    /** Loads (or creates) the signing keys and fetches the trusted issuers' keys; blocking. */
    public static Tokens load(TokensSpec spec, Executor background) throws IOException {
        SigningKeys keys = SigningKeys.loadOrCreate(spec.signingKeys());
        Map<String, IssuerKeys> trusted = new LinkedHashMap<>();
        for (TokensSpec.TrustedIssuer issuer : spec.trustedIssuers()) {
            IssuerKeys issuerKeys = new IssuerKeys(issuer, background);
            issuerKeys.refresh();
            trusted.put(issuer.issuer(), issuerKeys);
        }
        return new Tokens(spec, keys, trusted);
    }

    public TokensSpec spec() {
        return spec;
    }

    public SigningKeys keys() {
        return keys;
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public TokenVerifier verifier() {
        return verifier;
    }

    /** Picks up a rotation done on disk, rotates on schedule, refreshes trusted keys; blocking, periodic. */
    public void maintain(Instant now) {
        try {
            Path dir = spec.signingKeys();
            if (spec.rotateEvery().isPresent()
                    && keys.olderThan(spec.rotateEvery().get(), now)) {
                SigningKeys.rotate(dir);
                LOG.info("signing keys rotated on schedule");
            }
            keys = keys.reloadIfChanged(dir);
        } catch (IOException e) {
            LOG.warning(() -> "cannot check the signing keys in " + spec.signingKeys() + ": " + e.getMessage());
        }
    }

    /** Refreshes the trusted issuers' keys (every few minutes); blocking. */
    public void refreshTrusted() {
        trusted.values().forEach(IssuerKeys::refresh);
    }

    /** The header name and a signed assertion of who made a request, for the upstream; empty if disabled. */
    public Optional<String> assertionHeader() {
        return spec.assertionHeader();
    }

    /**
     * A short-lived ES256 JWT saying who called (vendor, client, its certificate, token, scopes;
     * audience = upstream), reused per caller unless the policy asks for one per request.
     */
    public String assertion(
            String upstream,
            String vendor,
            String client,
            String certSha256,
            String tokenId,
            Set<String> scopes,
            String requestId,
            Instant now) {
        return assertions.assertion(
                new UpstreamAssertions.Caller(upstream, vendor, client, certSha256, tokenId, scopes), requestId, now);
    }

    /** RFC 8414 authorization server metadata. */
    public String metadataJson(Set<String> scopes) {
        String base = spec.issuer();
        ObjectNode metadata = JSON.createObjectNode()
                .put("issuer", base)
                .put("token_endpoint", base + "/oauth2/token")
                .put("jwks_uri", base + "/.well-known/jwks.json");
        metadata.putArray("grant_types_supported").add("client_credentials");
        metadata.putArray("token_endpoint_auth_methods_supported").add("tls_client_auth");
        metadata.put("tls_client_certificate_bound_access_tokens", true);
        ArrayNode supported = metadata.putArray("scopes_supported");
        new TreeSet<>(scopes).forEach(supported::add);
        return metadata.toString();
    }
}
