package dev.vendorgate.gateway.audit;

import dev.vendorgate.gateway.http.Json;
import java.time.Instant;

/**
 * What the gateway found in its trail when it started, written as the first record after: a
 * break (the trail did not verify up to its last signed checkpoint: a new chain segment starts
 * here), records that no checkpoint covered when it stopped, or a torn last line it removed.
 * The verifier reads it, so that what the next checkpoint signs is not taken as vouched for.
 *
 * @param breakFound why the trail did not verify, or null
 * @param unsignedFrom the first record found after the last checkpoint, or -1
 * @param unsignedTo the last such record, or -1
 * @param torn what was removed of a torn last line, or null
 */
record RecoveryRecord(Instant time, String breakFound, long unsignedFrom, long unsignedTo, String torn) {

    void appendFields(StringBuilder out) {
        out.append(",\"type\":\"recovery\",\"time\":");
        Json.quote(out, time.toString());
        AuditRecord.field(out, "break", breakFound);
        if (unsignedFrom >= 0) {
            out.append(",\"unsignedFrom\":")
                    .append(unsignedFrom)
                    .append(",\"unsignedTo\":")
                    .append(unsignedTo);
        }
        AuditRecord.field(out, "torn", torn);
    }
}
