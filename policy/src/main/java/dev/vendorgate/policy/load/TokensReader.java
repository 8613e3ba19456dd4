package dev.vendorgate.policy.load;

import dev.vendorgate.policy.TokensSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code tokens} section: the gateway's own issuer and the issuers it trusts. */
final class TokensReader {

    static final Set<String> ALGORITHMS =
            Set.of("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA");
    private static final Set<String> TOKENS = Set.of(
            "issuer",
            "audience",
            "ttl",
            "clockSkew",
            "signingKeys",
            "rotateEvery",
            "upstreamAssertion",
            "trustedIssuers",
            "maxLifetime");
    private static final Set<String> ASSERTION = Set.of("header", "ttl", "mode");
    private static final Set<String> TRUSTED =
            Set.of("issuer", "jwks", "jwksCa", "algorithms", "audience", "requireBinding", "vendorClaim");

    private final ReadContext context;

    TokensReader(ReadContext context) {
        this.context = context;
    }

    TokensSpec read(YamlNode node) {
        MapReader r = MapReader.of(node, "tokens", context.problems, TOKENS);
        if (r == null) {
            return null;
        }
        String issuer = url(r, "issuer", true);
        String audience = r.string("audience", true);
        Duration ttl = r.duration("ttl", TokensSpec.DEFAULT_TTL);
        if (ttl != null && ttl.compareTo(TokensSpec.MAX_TTL) > 0) {
            context.problems.add(
                    r.get("ttl"),
                    r.pathOf("ttl"),
                    "must be at most " + TokensSpec.MAX_TTL.toMinutes()
                            + "m: short-lived tokens limit what a stolen one is worth");
            ttl = null;
        }
        Duration skew = r.duration("clockSkew", TokensSpec.DEFAULT_SKEW);
        if (skew != null && skew.compareTo(Duration.ofMinutes(5)) > 0) {
            context.problems.add(r.get("clockSkew"), r.pathOf("clockSkew"), "must be at most 5m");
            skew = null;
        }
        Duration maxLifetime = r.duration("maxLifetime", TokensSpec.DEFAULT_MAX_LIFETIME);
        if (maxLifetime != null && maxLifetime.compareTo(TokensSpec.MAX_MAX_LIFETIME) > 0) {
            context.problems.add(r.get("maxLifetime"), r.pathOf("maxLifetime"), "must be at most 24h");
            maxLifetime = null;
        } else if (maxLifetime != null && ttl != null && maxLifetime.compareTo(ttl) < 0) {
            context.problems.add(
                    r.get("maxLifetime"),
                    r.pathOf("maxLifetime"),
                    "must be at least the ttl (" + ttl.toMinutes() + "m): the gateway's own tokens would be refused");
            maxLifetime = null;
        }
        String keys = r.string("signingKeys", false);
        Path signingKeys = context.folder(r, "signingKeys", keys, "keys");
        Optional<Duration> rotate = Optional.ofNullable(r.duration("rotateEvery", null));
        Optional<String> assertionHeader = Optional.of(TokensSpec.DEFAULT_ASSERTION_HEADER);
        Duration assertionTtl = TokensSpec.DEFAULT_ASSERTION_TTL;
        boolean perRequest = false;
        YamlNode assertion = r.get("upstreamAssertion");
        if (assertion instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            if (!Boolean.parseBoolean(s.text())) {
                assertionHeader = Optional.empty();
            }
        } else if (assertion != null) {
            MapReader a = MapReader.of(assertion, r.pathOf("upstreamAssertion"), context.problems, ASSERTION);
            if (a != null) {
                String header = a.string("header", false);
                if (header != null && !header.matches("[A-Za-z0-9-]{1,64}")) {
                    context.problems.add(
                            a.get("header"), a.pathOf("header"), "must be a header name (letters, " + "digits, '-')");
                } else if (header != null) {
                    assertionHeader = Optional.of(header);
                }
                assertionTtl = a.duration("ttl", assertionTtl);
                String mode = a.string("mode", false);
                if (mode != null && !mode.equals("cached") && !mode.equals("per-request")) {
                    context.problems.add(
                            a.get("mode"),
                            a.pathOf("mode"),
                            "must be 'cached' (one assertion per caller, "
                                    + "reused for half its lifetime; the default) or 'per-request' (one per request, naming it)");
                }
                perRequest = "per-request".equals(mode);
            }
        }
        List<TokensSpec.TrustedIssuer> trusted = new ArrayList<>();
        for (MapReader.Item item : r.list("trustedIssuers", false)) {
            TokensSpec.TrustedIssuer one = trusted(item, audience);
            if (one != null) {
                trusted.add(one);
            }
        }
        if (issuer == null
                || audience == null
                || ttl == null
                || skew == null
                || assertionTtl == null
                || signingKeys == null
                || maxLifetime == null) {
            return null;
        }
        return new TokensSpec(
                issuer,
                audience,
                ttl,
                skew,
                signingKeys,
                rotate,
                assertionHeader,
                assertionTtl,
                trusted,
                maxLifetime,
                perRequest);
    }

    private TokensSpec.TrustedIssuer trusted(MapReader.Item item, String defaultAudience) {
        MapReader r = MapReader.of(item.node(), item.path(), context.problems, TRUSTED);
        if (r == null) {
            return null;
        }
        String issuer = r.string("issuer", true);
        String jwks = r.string("jwks", true);
        Optional<Path> file = Optional.empty();
        Optional<URI> url = Optional.empty();
        if (jwks != null) {
            if (jwks.startsWith("https://")) {
                try {
                    url = Optional.of(new URI(jwks));
                } catch (URISyntaxException e) {
                    context.problems.add(r.get("jwks"), r.pathOf("jwks"), "'" + jwks + "' is not a URL");
                }
            } else if (jwks.startsWith("http://")) {
                context.problems.add(r.get("jwks"), r.pathOf("jwks"), "keys must be fetched over https://");
            } else {
                file = Optional.ofNullable(
                        context.file(new MapReader.StringItem(jwks, r.get("jwks"), r.pathOf("jwks"))));
            }
        }
        List<Path> jwksCa = new ArrayList<>();
        for (MapReader.StringItem ca : r.strings("jwksCa", false)) {
            Path path = context.file(ca);
            if (path != null) {
                jwksCa.add(path);
            }
        }
        Set<String> algorithms = new LinkedHashSet<>();
        List<MapReader.StringItem> algorithmItems = r.strings("algorithms", true);
        if (r.get("algorithms") instanceof YamlNode.Sequence seq && seq.items().isEmpty()) {
            // without this the issuer was left out of the policy without a word
            context.problems.add(seq, r.pathOf("algorithms"), "must list at least one algorithm");
        }
        for (MapReader.StringItem algorithm : algorithmItems) {
            if (!ALGORITHMS.contains(algorithm.value())) {
                context.problems.add(
                        algorithm.node(),
                        algorithm.path(),
                        "'" + algorithm.value() + "' is not an " + "accepted algorithm; use "
                                + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)));
            } else {
                algorithms.add(algorithm.value());
            }
        }
        String audience = r.has("audience") ? r.string("audience", false) : defaultAudience;
        YamlNode binding = r.get("requireBinding");
        boolean requireBinding = true;
        if (binding instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            requireBinding = Boolean.parseBoolean(s.text());
        } else if (binding != null) {
            context.problems.add(binding, r.pathOf("requireBinding"), "expected true or false");
        }
        String vendorClaim = r.has("vendorClaim") ? r.string("vendorClaim", false) : "vendor";
        if (issuer == null
                || (file.isEmpty() && url.isEmpty())
                || algorithms.isEmpty()
                || audience == null
                || vendorClaim == null) {
            return null;
        }
        return new TokensSpec.TrustedIssuer(
                issuer, file, url, jwksCa, algorithms, audience, requireBinding, vendorClaim);
    }

    private String url(MapReader r, String key, boolean required) {
        String text = r.string(key, required);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL");
            }
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            context.problems.add(
                    r.get(key),
                    r.pathOf(key),
                    "must be the gateway's public base URL, for example " + "https://gateway.lab.example");
            return null;
        }
    }
}
