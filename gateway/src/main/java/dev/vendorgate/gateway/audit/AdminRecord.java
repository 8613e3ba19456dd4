package dev.vendorgate.gateway.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One operator action on the admin API: who did what to which target, why, and how it ended.
 *
 * @param outcome {@code ok}, or the problem code the action failed with
 * @param detail what the action did (for a suspension: the connections and requests it cut)
 */
public record AdminRecord(
        Instant time,
        String requestId,
        String operator,
        String role,
        String action,
        String target,
        String reason,
        String outcome,
        String detail,
        Map<String, String> fields) {

    public AdminRecord {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public AdminRecord(
            Instant time,
            String requestId,
            String operator,
            String role,
            String action,
            String target,
            String reason,
            String outcome,
            String detail) {
        this(time, requestId, operator, role, action, target, reason, outcome, detail, Map.of());
    }

    void appendFields(StringBuilder out) {
        out.append(",\"type\":\"admin\",\"time\":");
        AuditRecord.time(out, time);
        AuditRecord.field(out, "requestId", requestId);
        AuditRecord.field(out, "operator", operator);
        AuditRecord.field(out, "role", role);
        AuditRecord.field(out, "action", action);
        AuditRecord.field(out, "target", target);
        AuditRecord.field(out, "reason", reason);
        AuditRecord.field(out, "outcome", outcome);
        AuditRecord.field(out, "detail", detail);
        new java.util.TreeMap<>(fields).forEach((name, value) -> AuditRecord.field(out, name, value));
    }
}
