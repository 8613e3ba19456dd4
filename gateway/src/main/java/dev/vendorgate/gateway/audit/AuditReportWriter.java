package dev.vendorgate.gateway.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Prints an {@link AuditReport} as a table for people, JSON for tools, or CSV for spreadsheets. */
public final class AuditReportWriter {

    /** Output format. */
    public enum Format { TABLE, JSON, CSV }

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

    static ObjectNode json(AuditReport r) {
        ObjectNode out = JSON.createObjectNode();
        out.put("vendor", r.vendor());
        out.put("from", r.from() == null ? null : r.from().toString());
        out.put("to", r.to() == null ? null : r.to().toString());
        out.put("firstAccess", r.first() == null ? null : r.first().toString());
        out.put("lastAccess", r.last() == null ? null : r.last().toString());
        out.putObject("totals").put("requests", r.requests()).put("allowed", r.allowed()).put("denied", r.denied())
                .put("bytesIn", r.bytesIn()).put("bytesOut", r.bytesOut());
        ObjectNode routes = out.putObject("routes");
        r.routes().forEach((id, usage) -> {
            ObjectNode route = routes.putObject(id);
            route.put("requests", usage.requests()).put("allowed", usage.allowed()).put("bytesIn", usage.bytesIn())
                    .put("bytesOut", usage.bytesOut()).put("distinctObjects", usage.objects().size());
            ArrayNode objects = route.putArray("objects");
            usage.objects().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    objects.addObject().put("path", e.getKey()).put("requests", e.getValue()[0])
                            .put("bytesOut", e.getValue()[1]));
        });
        counts(out.putObject("denials"), r.denials());
        counts(out.putObject("statuses"), r.statuses());
        counts(out.putObject("clients"), r.clients());
        counts(out.putObject("sourceAddresses"), r.addresses());
        out.put("distinctTokens", r.tokens().size());
        out.put("unreadableLines", r.unreadable());
        out.put("unsignedRecords", r.unsigned());
        return out;
    }

    private static void counts(ObjectNode node, Map<String, Long> counts) {
        counts.forEach(node::put);
    }

    private static void csv(AuditReport r, PrintWriter out) {
        out.println("section,key,requests,allowed,bytes_in,bytes_out");
        out.println("total," + r.vendor() + "," + r.requests() + "," + r.allowed() + "," + r.bytesIn() + ","
                + r.bytesOut());
        r.routes().forEach((id, u) -> out.println("route," + csvField(id) + "," + u.requests() + "," + u.allowed() + ","
                + u.bytesIn() + "," + u.bytesOut()));
        r.routes().forEach((id, u) -> u.objects().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                out.println("object," + csvField(id + " " + e.getKey()) + "," + e.getValue()[0] + ",,," + e.getValue()[1])));
        r.denials().forEach((reason, n) -> out.println("denial," + csvField(reason) + "," + n + ",,,"));
        r.clients().forEach((client, n) -> out.println("client," + csvField(client) + "," + n + ",,,"));
        r.addresses().forEach((address, n) -> out.println("address," + csvField(address) + "," + n + ",,,"));
        if (r.unsigned() > 0) {
            out.println("unsigned,records without a signed checkpoint," + r.unsigned() + ",,,");
        }
    }

    private static String csvField(String value) {
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
        if (r.requests() == 0) {
            out.println("  no requests recorded");
            return;
        }
        out.println("  first access  " + r.first());
        out.println("  last access   " + r.last());
        out.println("  requests      " + r.requests() + " (" + r.allowed() + " allowed, " + r.denied() + " denied)");
        out.println("  bytes         " + human(r.bytesOut()) + " sent to the vendor, " + human(r.bytesIn())
                + " received from it");
        out.println("  tokens        " + r.tokens().size() + " distinct");
        out.println();
        out.printf("  %-28s %10s %10s %12s %12s %10s%n", "ROUTE", "REQUESTS", "ALLOWED", "BYTES OUT", "BYTES IN",
                "OBJECTS");
        r.routes().forEach((id, u) -> out.printf("  %-28s %10d %10d %12s %12s %10d%n", id, u.requests(), u.allowed(),
                human(u.bytesOut()), human(u.bytesIn()), u.objects().size()));
        List<Map.Entry<String, long[]>> top = r.routes().values().stream()
                .flatMap(u -> u.objects().entrySet().stream())
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
                .limit(TOP).toList();
        if (!top.isEmpty()) {
            out.println();
            out.println("  objects with the most bytes sent (top " + TOP + "; --format json lists all):");
            top.forEach(e -> out.printf("    %12s  %4d x  %s%n", human(e.getValue()[1]), e.getValue()[0], e.getKey()));
        }
        section(out, "refusals and failures by reason", r.denials());
        section(out, "clients", r.clients());
        section(out, "source addresses", r.addresses());
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
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }
}
