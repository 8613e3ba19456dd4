package dev.vendorgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Encodes control changes as one-line JSON objects with a {@code type}, and back. */
public final class ControlCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlCodec() {}

    public static String encode(ControlChange change) {
        ObjectNode node = JSON.createObjectNode();
        if (change instanceof ControlChange.Suspend s) {
            node.put("type", "suspend")
                    .put("vendor", s.vendor())
                    .put("at", s.at().toString())
                    .put("operator", s.operator())
                    .put("reason", s.reason())
                    .put("until", s.until() == null ? null : s.until().toString())
                    .put("mode", s.mode().word())
                    .put("readOnly", s.readOnly());
        } else if (change instanceof ControlChange.Resume r) {
            node.put("type", "resume")
                    .put("vendor", r.vendor())
                    .put("at", r.at().toString())
                    .put("operator", r.operator())
                    .put("reason", r.reason());
        } else if (change instanceof ControlChange.Revoke r) {
            node.put("type", "revoke")
                    .put("kind", r.kind().word())
                    .put("subject", r.subject())
                    .put("at", r.at().toString())
                    .put("operator", r.operator())
                    .put("reason", r.reason())
                    .put("expires", r.expires() == null ? null : r.expires().toString());
        } else if (change instanceof ControlChange.Cutoff c) {
            node.put("type", "cutoff")
                    .put("vendor", c.vendor())
                    .put("cutoff", c.cutoff().toString())
                    .put("at", c.at().toString())
                    .put("operator", c.operator())
                    .put("reason", c.reason());
        } else if (change instanceof ControlChange.Probation p) {
            node.put("type", "probation")
                    .put("vendor", p.vendor())
                    .put("at", p.at().toString())
                    .put("operator", p.operator())
                    .put("reason", p.reason())
                    .put("until", p.until() == null ? null : p.until().toString());
        } else if (change instanceof ControlChange.EndProbation p) {
            node.put("type", "end-probation")
                    .put("vendor", p.vendor())
                    .put("at", p.at().toString())
                    .put("operator", p.operator())
                    .put("reason", p.reason());
        } else if (change instanceof ControlChange.Enroll e) {
            node.put("type", "enroll")
                    .put("vendor", e.vendor())
                    .put("sha256", e.sha256())
                    .put("at", e.at().toString())
                    .put("operator", e.operator())
                    .put("reason", e.reason());
        } else {
            ControlChange.Usage u = (ControlChange.Usage) change;
            node.put("type", "usage")
                    .put("vendor", u.vendor())
                    .put("period", u.period().toString())
                    .put("bytesIn", u.bytesIn())
                    .put("bytesOut", u.bytesOut())
                    .put("at", u.at().toString());
        }
        return node.toString();
    }

    public static ControlChange decode(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        try {
            String type = text(node, "type");
            return switch (type) {
                case "suspend" ->
                    new ControlChange.Suspend(
                            text(node, "vendor"),
                            instant(node, "at"),
                            text(node, "operator"),
                            text(node, "reason"),
                            optionalInstant(node, "until"),
                            mode(text(node, "mode")),
                            node.path("readOnly").asBoolean(false));
                case "resume" ->
                    new ControlChange.Resume(
                            text(node, "vendor"), instant(node, "at"), text(node, "operator"), text(node, "reason"));
                case "revoke" ->
                    new ControlChange.Revoke(
                            kind(text(node, "kind")),
                            text(node, "subject"),
                            instant(node, "at"),
                            text(node, "operator"),
                            text(node, "reason"),
                            optionalInstant(node, "expires"));
                case "cutoff" ->
                    new ControlChange.Cutoff(
                            text(node, "vendor"),
                            instant(node, "cutoff"),
                            instant(node, "at"),
                            text(node, "operator"),
                            text(node, "reason"));
                case "probation" ->
                    new ControlChange.Probation(
                            text(node, "vendor"),
                            instant(node, "at"),
                            text(node, "operator"),
                            text(node, "reason"),
                            optionalInstant(node, "until"));
                case "end-probation" ->
                    new ControlChange.EndProbation(
                            text(node, "vendor"), instant(node, "at"), text(node, "operator"), text(node, "reason"));
                case "enroll" ->
                    new ControlChange.Enroll(
                            text(node, "vendor"),
                            text(node, "sha256"),
                            instant(node, "at"),
                            text(node, "operator"),
                            text(node, "reason"));
                case "usage" ->
                    new ControlChange.Usage(
                            text(node, "vendor"),
                            instant(node, "period"),
                            node.path("bytesIn").asLong(),
                            node.path("bytesOut").asLong(),
                            instant(node, "at"));
                default -> throw new IOException("unknown change type '" + type + "'");
            };
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IOException("malformed change: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException("missing field '" + field + "'");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) throws IOException {
        return Instant.parse(text(node, field));
    }

    private static Instant optionalInstant(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : instant(node, field);
    }

    private static SuspendMode mode(String word) throws IOException {
        SuspendMode mode = SuspendMode.fromWord(word);
        if (mode == null) {
            throw new IOException("unknown mode '" + word + "'");
        }
        return mode;
    }

    private static ControlChange.RevocationKind kind(String word) throws IOException {
        ControlChange.RevocationKind kind = ControlChange.RevocationKind.fromWord(word);
        if (kind == null) {
            throw new IOException("unknown revocation kind '" + word + "'");
        }
        return kind;
    }
}
