package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.policy.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * A JSON request body of the admin API, read strictly: an object, only the fields the call
 * knows, no duplicate keys, bounded nesting; every mistake is a 400 with a sentence.
 */
final class RequestBody {

    /** The furthest ahead an expiry may be set. */
    static final Duration MAX_AHEAD = Duration.ofDays(3650);

    static final int MAX_REASON = 1000;
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxStringLength(16 * 1024)
                        .build());
    }

    private final JsonNode node;

    private RequestBody(JsonNode node) {
        this.node = node;
    }

    /** Parses {@code text} (empty means {@code {}}) allowing only {@code fields}. */
    static RequestBody parse(String text, Set<String> fields) {
        JsonNode node;
        if (text.isBlank()) {
            node = JSON.createObjectNode();
        } else {
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new AdminException(
                        ProblemType.BAD_REQUEST, "The body is not valid JSON: " + e.getOriginalMessage());
            }
        }
        if (node == null || !node.isObject()) {
            throw new AdminException(ProblemType.BAD_REQUEST, "The body must be a JSON object.");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new AdminException(
                        ProblemType.BAD_REQUEST,
                        "Unknown field '" + name + "'; known fields: "
                                + String.join(", ", new java.util.TreeSet<>(fields)) + ".");
            }
        }
        return new RequestBody(node);
    }

    /** The required {@code reason}: every change to what vendors may do says why. */
    String reason() {
        JsonNode value = node.get("reason");
        if (value == null || value.isNull()) {
            throw new AdminException(ProblemType.BAD_REQUEST, "A reason is required: say why, for the audit trail.");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'reason' must be a non-empty string.");
        }
        String reason = value.asText().strip();
        if (reason.length() > MAX_REASON) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'reason' is longer than " + MAX_REASON + " characters.");
        }
        return reason;
    }

    String text(String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'" + field + "' must be a string.");
        }
        return value.asText();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'" + field + "' must be true or false.");
        }
        return value.asBoolean();
    }

    /**
     * An instant not in the future: an ISO-8601 time or a duration before now ({@code 72h});
     * null when absent.
     */
    Instant since(String field, Instant now) {
        Instant since = instant(field, now, -1, "2026-11-28T00:00:00Z", "a duration before now such as 72h");
        if (since != null && since.isAfter(now)) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'" + field + "' is in the future.");
        }
        return since;
    }

    /**
     * An instant in the future: an ISO-8601 time ({@code 2026-12-01T00:00:00Z}) or a duration
     * from now ({@code 2h}); null when absent.
     */
    Instant until(String field, Instant now) {
        Instant until = instant(field, now, 1, "2026-12-01T00:00:00Z", "a duration such as 2h");
        if (until != null && !until.isAfter(now)) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'" + field + "' is in the past.");
        }
        return until;
    }

    /**
     * A time, or a duration from now in the direction of {@code sign}; at most {@link #MAX_AHEAD}
     * away, so that no arithmetic on it can overflow. Null when absent.
     */
    private Instant instant(String field, Instant now, int sign, String example, String durationExample) {
        String text = text(field, null);
        if (text == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            Duration duration;
            try {
                duration = Units.parseDuration(text);
            } catch (IllegalArgumentException notDuration) {
                throw new AdminException(
                        ProblemType.BAD_REQUEST,
                        "'" + field + "' must be an ISO-8601 time such as " + example + " or " + durationExample + ".");
            }
            at = duration.compareTo(MAX_AHEAD) > 0 ? null : sign > 0 ? now.plus(duration) : now.minus(duration);
        }
        if (at == null || at.isAfter(now.plus(MAX_AHEAD)) || at.isBefore(now.minus(MAX_AHEAD))) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST,
                    "'" + field + "' is more than " + MAX_AHEAD.toDays() + " days "
                            + (at != null && at.isBefore(now) ? "back." : "ahead; leave it out for no end."));
        }
        return at;
    }
}
