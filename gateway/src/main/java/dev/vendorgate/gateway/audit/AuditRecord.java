package dev.vendorgate.gateway.audit;

import dev.vendorgate.gateway.http.IsoInstant;
import dev.vendorgate.gateway.http.Json;
import java.time.Instant;

/**
 * One request as the audit trail keeps it: who (vendor, client, certificate, token id, address),
 * what (method, canonical path, route, upstream), the decision and its reason, and what moved
 * (status, bytes, duration). Never a token, a key or a query string (which may carry secrets).
 *
 * @param decision {@code allow} or {@code deny}
 * @param reason the stable refusal or failure code, or null
 * @param probation the vendor was on probation after a breach when the request came (written as
 *     {@code "probation":true}, left out otherwise)
 */
public record AuditRecord(
        Instant time,
        String requestId,
        String vendor,
        String client,
        String certSha256,
        String tokenId,
        String remote,
        String protocol,
        String method,
        String path,
        String route,
        String upstream,
        String decision,
        String reason,
        int status,
        long bytesIn,
        long bytesOut,
        long durationMicros,
        boolean probation) {

    /** A request of a vendor not on probation. */
    public AuditRecord(
            Instant time,
            String requestId,
            String vendor,
            String client,
            String certSha256,
            String tokenId,
            String remote,
            String protocol,
            String method,
            String path,
            String route,
            String upstream,
            String decision,
            String reason,
            int status,
            long bytesIn,
            long bytesOut,
            long durationMicros) {
        this(
                time,
                requestId,
                vendor,
                client,
                certSha256,
                tokenId,
                remote,
                protocol,
                method,
                path,
                route,
                upstream,
                decision,
                reason,
                status,
                bytesIn,
                bytesOut,
                durationMicros,
                false);
    }

    /**
     * The record as one audit line chained after {@code prev} (the SHA-256 of the line before),
     * without the newline: what the audit trail writes and hashes.
     */
    public byte[] line(long seq, String prev) {
        StringBuilder line = new StringBuilder(768)
                .append("{\"seq\":")
                .append(seq)
                .append(",\"prev\":\"")
                .append(prev)
                .append('"');
        appendFields(line);
        return line.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    void appendFields(StringBuilder out) {
        out.append(",\"type\":\"request\",\"time\":");
        time(out, time);
        field(out, "requestId", requestId);
        field(out, "vendor", vendor);
        field(out, "client", client);
        field(out, "certSha256", certSha256);
        field(out, "tokenId", tokenId);
        field(out, "remote", remote);
        field(out, "protocol", protocol);
        field(out, "method", method);
        field(out, "path", path);
        field(out, "route", route);
        field(out, "upstream", upstream);
        field(out, "decision", decision);
        field(out, "reason", reason);
        out.append(",\"status\":").append(status);
        out.append(",\"bytesIn\":").append(bytesIn);
        out.append(",\"bytesOut\":").append(bytesOut);
        long micros = durationMicros % 1000; // three decimals, without String.format (a regex per call)
        out.append(",\"durationMs\":")
                .append(durationMicros / 1000)
                .append('.')
                .append(micros < 100 ? (micros < 10 ? "00" : "0") : "")
                .append(micros);
        if (probation) {
            out.append(",\"probation\":true");
        }
    }

    /** The record's time as Instant.toString writes it, quoted ({@code null} if it has none). */
    static void time(StringBuilder out, Instant time) {
        if (time == null) {
            out.append("null");
        } else {
            IsoInstant.append(out.append('"'), time).append('"');
        }
    }

    static void field(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        Json.quote(out, value);
    }
}
