package dev.vendorgate.gateway.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Base64;
import java.util.Locale;

/**
 * A compact JWS taken apart before any cryptography, strictly: size, shape and alphabet, header
 * and claims as JSON objects without duplicate members, deep nesting or huge strings. What the
 * JWT attack literature abuses in lenient parsers is refused here, before a key is looked up.
 *
 * @param header the protected header
 * @param claims the claims
 * @param raw the token as presented (only for signature verification; never logged)
 */
record CompactJwt(JsonNode header, JsonNode claims, String raw) {

    static final int MAX_LENGTH = 8192;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(5)
                        .maxStringLength(4096)
                        .maxNumberLength(20)
                        .build());
    }

    /** Thrown for anything not a strict compact JWS; carries the failure class. */
    static final class Invalid extends Exception {
        private final TokenFailure failure;

        Invalid(TokenFailure failure) {
            super(failure.code(), null, false, false);
            this.failure = failure;
        }

        TokenFailure failure() {
            return failure;
        }
    }

    static CompactJwt parse(String token) throws Invalid {
        if (token.length() > MAX_LENGTH) {
            throw new Invalid(TokenFailure.MALFORMED);
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw new Invalid(TokenFailure.MALFORMED);
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_'
                    || c == '.';
            if (!ok) {
                throw new Invalid(TokenFailure.MALFORMED);
            }
        }
        JsonNode header = json(token.substring(0, first));
        JsonNode claims = json(token.substring(first + 1, second));
        return new CompactJwt(header, claims, token);
    }

    private static JsonNode json(String part) throws Invalid {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new Invalid(TokenFailure.MALFORMED);
        }
        try {
            JsonNode node = STRICT.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new Invalid(TokenFailure.MALFORMED);
            }
            return node;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new Invalid(TokenFailure.MALFORMED);
        } catch (java.io.IOException e) {
            throw new Invalid(TokenFailure.MALFORMED);
        }
    }

    String alg() {
        return header.path("alg").isTextual() ? header.path("alg").asText() : null;
    }

    String kid() {
        return header.path("kid").isTextual() ? header.path("kid").asText() : null;
    }

    String typ() {
        return header.path("typ").isTextual() ? header.path("typ").asText().toLowerCase(Locale.ROOT) : null;
    }

    /** A string claim, or null when absent or not a string. */
    String text(String claim) {
        JsonNode value = claims.get(claim);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** An integer NumericDate claim, or null when absent or not an integer. */
    Long seconds(String claim) {
        JsonNode value = claims.get(claim);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : null;
    }
}
