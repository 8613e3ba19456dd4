package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.policy.Units;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Prints an {@link AuditReport} as a table for people, JSON for tools, or CSV for spreadsheets. */
public final class AuditReportWriter {

    /** Output format. */
    public enum Format {
        TABLE,
        JSON,
        CSV
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int TOP = 10;

    private AuditReportWriter() {}

    public static void write(AuditReport report, Format format, PrintWriter out) {
        switch (format) {
            case JSON -> out.println(json(report).toPrettyString());
            case CSV -> csv(report, out);
            default -> table(report, out);
        }
        out.flush();
    }

    /**
     * Why a report would say nothing that can be trusted (no audit files, a vendor the trail has
     * never seen), listing what there is; null when the report has something to say.
     */
    public static String nothingToReport(AuditReport r, List<java.nio.file.Path> dirs) {
        if (r.files() == 0) {
            return "no audit files in " + dirs + ": nothing can be said about '" + r.vendor() + "' (is --dir the "
                    + "policy's audit.dir?)";
        }
        if (!r.vendorsSeen().contains(r.vendor())) {
            return "vendor '" + r.vendor() + "' has no records in this trail (" + r.files() + " files, from "
                    + r.spanFirst() + " to " + r.spanLast() + "); vendors seen: "
                    + (r.vendorsSeen().isEmpty() ? "none" : String.join(", ", r.vendorsSeen()));
        }
        return null;
    }

    public static ObjectNode json(AuditReport r) {
        ObjectNode out = JSON.createObjectNode();
        out.put("vendor", r.vendor());
        out.put("from", r.from() == null ? null : r.from().toString());
        out.put("to", r.to() == null ? null : r.to().toString());
        out.put("firstAccess", r.first() == null ? null : r.first().toString());
        out.put("lastAccess", r.last() == null ? null : r.last().toString());
        out.putObject("totals")
                .put("requests", r.requests())
                .put("allowed", r.allowed())
                .put("denied", r.denied())
                .put("bytesIn", r.bytesIn())
                .put("bytesOut", r.bytesOut());
        ObjectNode routes = out.putObject("routes");
        r.routes().forEach((id, usage) -> {
            ObjectNode route = routes.putObject(id);
            route.put("requests", usage.requests())
                    .put("allowed", usage.allowed())
                    .put("bytesIn", usage.bytesIn())
                    .put("bytesOut", usage.bytesOut())
                    .put("distinctObjects", usage.objects().size());
            ArrayNode objects = route.putArray("objects");
            usage.objects().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> objects.addObject()
                            .put("path", e.getKey())
                            .put("requests", e.getValue()[0])
                            .put("bytesOut", e.getValue()[1]));
        });
        counts(out.putObject("denials"), r.denials());
        counts(out.putObject("statuses"), r.statuses());
        counts(out.putObject("clients"), r.clients());
        counts(out.putObject("sourceAddresses"), r.addresses());
        out.put("distinctTokens", r.tokens().size());
        out.put("requestsWhileSuspended", r.whileSuspended());
        out.put("requestsOnProbation", r.onProbation());
        ArrayNode probed = out.putArray("deniedPaths");
        topCounts(r.deniedPaths(), 1000)
                .forEach(e -> probed.addObject().put("path", e.getKey()).put("requests", e.getValue()));
        uses(out.putArray("tokens"), "tokenId", r.tokenUse());
        uses(out.putArray("clientsSeen"), "client", r.clientUse());
        uses(out.putArray("certificates"), "sha256", r.certificateUse());
        uses(out.putArray("addressesSeen"), "address", r.addressUse());
        ArrayNode timeline = out.putArray("timeline");
        timeline(r)
                .forEach((at, v) -> timeline.addObject()
                        .put("from", at.toString())
                        .put("requests", v[0])
                        .put("denied", v[1])
                        .put("bytesOut", v[2])
                        .put("bytesIn", v[3]));
        out.put("timelineStep", step(r).toString());
        ArrayNode actions = out.putArray("adminActions");
        r.actions()
                .forEach(a -> actions.addObject()
                        .put("time", a.time().toString())
                        .put("operator", a.operator())
                        .put("action", a.action())
                        .put("target", a.target())
                        .put("reason", a.reason())
                        .put("outcome", a.outcome()));
        out.putObject("trail")
                .put("files", r.files())
                .put("first", r.spanFirst() == null ? null : r.spanFirst().toString())
                .put("last", r.spanLast() == null ? null : r.spanLast().toString());
        out.put("unreadableLines", r.unreadable());
        out.put("unsignedRecords", r.unsigned());
        return out;
    }

    private static void uses(ArrayNode node, String key, Map<String, AuditReport.Use> uses) {
        uses.forEach((id, use) -> node.addObject()
                .put(key, id)
                .put("requests", use.requests())
                .put("first", use.first().toString())
                .put("last", use.last().toString()));
    }

    private static List<Map.Entry<String, Long>> topCounts(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .toList();
    }

    /** Minutes for a window of up to six hours, hours beyond. */
    static java.time.Duration step(AuditReport r) {
        if (r.timeline().isEmpty()) {
            return java.time.Duration.ofMinutes(1);
        }
        java.time.Duration span =
                java.time.Duration.between(r.timeline().firstKey(), r.timeline().lastKey());
        return span.compareTo(java.time.Duration.ofHours(6)) <= 0
                ? java.time.Duration.ofMinutes(1)
                : java.time.Duration.ofHours(1);
    }

    static Map<java.time.Instant, long[]> timeline(AuditReport r) {
        if (step(r).equals(java.time.Duration.ofMinutes(1))) {
            return r.timeline();
        }
        Map<java.time.Instant, long[]> hours = new java.util.TreeMap<>();
        r.timeline().forEach((minute, v) -> {
            long[] hour =
                    hours.computeIfAbsent(minute.truncatedTo(java.time.temporal.ChronoUnit.HOURS), h -> new long[4]);
            for (int i = 0; i < 4; i++) {
                hour[i] += v[i];
            }
        });
        return hours;
    }

    private static void counts(ObjectNode node, Map<String, Long> counts) {
        counts.forEach(node::put);
    }

    private static void csv(AuditReport r, PrintWriter out) {
        out.println("section,key,requests,allowed,bytes_in,bytes_out");
        out.println("total," + r.vendor() + "," + r.requests() + "," + r.allowed() + "," + r.bytesIn() + ","
                + r.bytesOut());
        r.routes()
                .forEach((id, u) -> out.println("route," + csvField(id) + "," + u.requests() + "," + u.allowed() + ","
                        + u.bytesIn() + "," + u.bytesOut()));
        r.routes()
                .forEach((id, u) -> u.objects().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> out.println("object," + csvField(id + " " + e.getKey()) + "," + e.getValue()[0]
                                + ",,," + e.getValue()[1])));
        r.denials().forEach((reason, n) -> out.println("denial," + csvField(reason) + "," + n + ",,,"));
        r.clients().forEach((client, n) -> out.println("client," + csvField(client) + "," + n + ",,,"));
        r.addresses().forEach((address, n) -> out.println("address," + csvField(address) + "," + n + ",,,"));
        topCounts(r.deniedPaths(), 1000)
                .forEach(e -> out.println("denied-path," + csvField(e.getKey()) + "," + e.getValue() + ",,,"));
        r.tokenUse().forEach((jti, use) -> out.println("token," + csvField(jti) + "," + use.requests() + ",,,"));
        r.certificateUse()
                .forEach((sha, use) -> out.println("certificate," + csvField(sha) + "," + use.requests() + ",,,"));
        timeline(r)
                .forEach((at, v) ->
                        out.println("timeline," + at + "," + v[0] + "," + (v[0] - v[1]) + "," + v[3] + "," + v[2]));
        r.actions()
                .forEach(a -> out.println("admin,"
                        + csvField(a.time() + " " + a.action() + " by " + a.operator()
                                + (a.reason() == null ? "" : ": " + a.reason()))
                        + ",,,,"));
        if (r.onProbation() > 0) {
            out.println("probation,requests while on probation," + r.onProbation() + ",,,");
        }
        if (r.unsigned() > 0) {
            out.println("unsigned,records without a signed checkpoint," + r.unsigned() + ",,,");
        }
    }

    static String csvField(String value) {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
        String text = value.replace("\"", "\"\"");
        // a cell starting with a formula character would run in a spreadsheet
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
            quote = true;
        }
        return quote ? "\"" + text + "\"" : text;
    }

    private static void table(AuditReport r, PrintWriter out) {
        out.println("Audit report for vendor '" + r.vendor() + "'" + window(r));
        out.println("  trail         " + r.files() + " files, records from " + r.spanFirst() + " to " + r.spanLast());
        if (r.requests() == 0) {
            out.println("  no requests by '" + r.vendor() + "' in this window (the vendor has requests elsewhere in "
                    + "the trail)");
            actions(r, out);
            return;
        }
        out.println("  first access  " + r.first());
        out.println("  last access   " + r.last());
        out.println("  requests      " + r.requests() + " (" + r.allowed() + " allowed, " + r.denied() + " denied)");
        out.println("  bytes         " + human(r.bytesOut()) + " sent to the vendor, " + human(r.bytesIn())
                + " received from it");
        out.println("  tokens        " + r.tokens().size() + " distinct");
        if (r.whileSuspended() > 0) {
            out.println("  WHILE SUSPENDED " + r.whileSuspended()
                    + " requests were refused because the vendor was suspended");
        }
        if (r.onProbation() > 0) {
            out.println("  ON PROBATION  " + r.onProbation() + " requests were made while the vendor was on probation "
                    + "after a breach");
        }
        out.println();
        out.printf(
                "  %-28s %10s %10s %12s %12s %10s%n",
                "ROUTE", "REQUESTS", "ALLOWED", "BYTES OUT", "BYTES IN", "OBJECTS");
        r.routes()
                .forEach((id, u) -> out.printf(
                        "  %-28s %10d %10d %12s %12s %10d%n",
                        id,
                        u.requests(),
                        u.allowed(),
                        human(u.bytesOut()),
                        human(u.bytesIn()),
                        u.objects().size()));
        List<Map.Entry<String, long[]>> top = r.routes().values().stream()
                .flatMap(u -> u.objects().entrySet().stream())
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1])
                        .reversed())
                .limit(TOP)
                .toList();
        if (!top.isEmpty()) {
            out.println();
            out.println("  objects with the most bytes sent (top " + TOP + "; --format json lists all):");
            top.forEach(e -> out.printf("    %12s  %4d x  %s%n", human(e.getValue()[1]), e.getValue()[0], e.getKey()));
        }
        section(out, "refusals and failures by reason", r.denials());
        List<Map.Entry<String, Long>> probed = topCounts(r.deniedPaths(), TOP);
        if (!probed.isEmpty()) {
            out.println();
            out.println("  paths refused most (top " + TOP + " of "
                    + r.deniedPaths().size() + "; --format json lists more):");
            probed.forEach(e -> out.printf("    %8d  %s%n", e.getValue(), e.getKey()));
        }
        uses(out, "tokens (revoke with: gateway ctl revoke --token JTI)", r.tokenUse());
        uses(out, "clients", r.clientUse());
        uses(out, "certificates (SHA-256)", r.certificateUse());
        uses(out, "source addresses", r.addressUse());
        out.println();
        out.println(
                "  timeline (per " + (step(r).toMinutes() == 1 ? "minute" : "hour") + "): requests, denied, bytes out");
        timeline(r).forEach((at, v) -> out.printf("    %s  %8d  %8d  %12s%n", at, v[0], v[1], human(v[2])));
        actions(r, out);
        if (r.unreadable() > 0) {
            out.println();
            out.println("  warning: " + r.unreadable() + " lines could not be read (run: gateway audit verify)");
        }
        if (r.unsigned() > 0) {
            out.println();
            out.println("  UNSIGNED: " + r.unsigned() + " of these requests are in records no signed checkpoint covers "
                    + "(the newest few seconds of a running gateway, or records found unsigned at a restart): they "
                    + "are not proven (run: gateway audit verify)");
        }
    }

    private static void uses(PrintWriter out, String title, Map<String, AuditReport.Use> uses) {
        if (uses.isEmpty()) {
            return;
        }
        out.println();
        out.println("  " + title + ":");
        out.printf("    %8s  %-20s  %-20s  %s%n", "REQUESTS", "FIRST", "LAST", "");
        uses.forEach(
                (key, use) -> out.printf("    %8d  %-20s  %-20s  %s%n", use.requests(), use.first(), use.last(), key));
    }

    private static void actions(AuditReport r, PrintWriter out) {
        if (r.actions().isEmpty()) {
            return;
        }
        out.println();
        out.println("  admin actions on the vendor:");
        r.actions()
                .forEach(a -> out.println("    " + a.time() + "  " + a.action() + " by " + a.operator()
                        + (a.reason() == null ? "" : ": " + a.reason())
                        + (a.outcome().equals("ok") ? "" : " (" + a.outcome() + ")")));
    }

    private static void section(PrintWriter out, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println();
        out.println("  " + title + ":");
        counts.forEach((key, n) -> out.printf("    %8d  %s%n", n, key));
    }

    private static String window(AuditReport r) {
        if (r.from() == null && r.to() == null) {
            return "";
        }
        return " from " + (r.from() == null ? "the start" : r.from()) + " to " + (r.to() == null ? "now" : r.to());
    }

    static String human(long bytes) {
        return Units.human(bytes);
    }
}
