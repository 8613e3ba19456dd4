package dev.vendorgate.gateway.admin;

import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.http.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code GET /v1/vendors/{id}/report}: the audit report on one vendor, as {@code gateway audit report} makes it. */
final class ReportView {

    private ReportView() {}

    /**
     * The audit report on one vendor from this gateway's trail ({@code since}, {@code from},
     * {@code to} as for {@code gateway audit report}; {@code format} json, csv or table); read off
     * the event loops. A vendor the trail has never seen, or no trail, is a 404 that says what
     * there is, never an empty report.
     */
    static CompletableFuture<AdminApi.Rendered> report(
            AuditLog audit, Instant now, Executor blocking, String id, Map<String, List<String>> query) {
        if (audit == null) {
            throw new AdminException(ProblemType.NOT_FOUND, "This gateway keeps no audit trail.");
        }
        Instant from;
        Instant to;
        try {
            from = dev.vendorgate.gateway.audit.AuditReport.parseTime(
                    first(query, "since", first(query, "from", null)), now);
            to = dev.vendorgate.gateway.audit.AuditReport.parseTime(first(query, "to", null), now);
        } catch (java.time.format.DateTimeParseException e) {
            throw new AdminException(
                    ProblemType.BAD_REQUEST,
                    "'since', 'from' and 'to' must be a date (2026-11-28), a "
                            + "time (2026-11-28T10:00:00Z) or a duration ago (1h, 2d).");
        }
        String formatWord = first(query, "format", "json");
        dev.vendorgate.gateway.audit.AuditReportWriter.Format format;
        try {
            format = dev.vendorgate.gateway.audit.AuditReportWriter.Format.valueOf(
                    formatWord.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdminException(ProblemType.BAD_REQUEST, "'format' must be json, csv or table.");
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    dev.vendorgate.gateway.audit.AuditReport report;
                    try {
                        report = dev.vendorgate.gateway.audit.AuditReport.build(
                                java.util.List.of(audit.dir()), id, from, to);
                    } catch (java.io.IOException e) {
                        throw new AdminException(
                                ProblemType.INTERNAL_ERROR, "The audit trail could not be read: " + e.getMessage());
                    }
                    String nothing = dev.vendorgate.gateway.audit.AuditReportWriter.nothingToReport(
                            report, java.util.List.of(audit.dir()));
                    if (nothing != null) {
                        throw new AdminException(ProblemType.UNKNOWN_VENDOR, nothing);
                    }
                    java.io.StringWriter text = new java.io.StringWriter();
                    dev.vendorgate.gateway.audit.AuditReportWriter.write(report, format, new java.io.PrintWriter(text));
                    String type = switch (format) {
                        case JSON -> "application/json";
                        case CSV -> "text/csv; charset=utf-8";
                        case TABLE -> "text/plain; charset=utf-8";
                    };
                    return new AdminApi.Rendered(type, text.toString());
                },
                blocking);
    }

    private static String first(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }
}
