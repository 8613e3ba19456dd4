package dev.vendorgate.gateway.audit;

import java.io.PrintWriter;
import java.util.Set;

/**
 * Prints an {@link Exposure} as a table for people or CSV for spreadsheets. Neither is signed:
 * the signed manifest is the JSON form ({@link ExposureManifest}).
 */
public final class ExposureWriter {

    private ExposureWriter() {}

    /**
     * Why there is nothing to list, or null: no audit files, a vendor the trails never saw (a
     * typo), or a window the trails do not reach. Never a false all-clear.
     */
    public static String nothingToList(Exposure e, java.util.List<java.nio.file.Path> dirs) {
        for (Exposure.Trail t : e.trails) {
            if (t.files.isEmpty()) {
                return "no audit trail in " + t.dir + ": no audit-*.jsonl files (pass --dir with the audit folder)";
            }
        }
        if (e.vendorRecords == 0) {
            return "vendor '" + e.vendor + "' has no requests anywhere in " + dirs + " (vendors seen: "
                    + (e.vendorsSeen.isEmpty() ? "none" : String.join(", ", e.vendorsSeen)) + ")";
        }
        boolean before = e.to != null && e.spanFirst != null && !e.to.isAfter(e.spanFirst);
        boolean after = e.from != null && e.spanLast != null && e.from.isAfter(e.spanLast);
        if (before || after) {
            return "the window " + e.from + " to " + (e.to == null ? "now" : e.to) + " is outside what the trail "
                    + "covers (" + e.spanFirst + " to " + e.spanLast + "): nothing to list";
        }
        return null;
    }

    public static void table(Exposure e, PrintWriter out) {
        out.println("Exposure of vendor '" + e.vendor + "' from " + e.from + " to " + (e.to == null ? "now" : e.to));
        long fetches = e.objects.values().stream().mapToLong(o -> o.count).sum();
        long bytes = e.objects.values().stream().mapToLong(o -> o.bytes).sum();
        long partial = e.objects.values().stream().mapToLong(o -> o.partial).sum();
        out.println("  served    " + e.objects.size() + " objects, " + fetches + " fetches, " + bytes + " bytes"
                + (partial > 0 ? " (" + partial + " fetches cut short, counted with the bytes actually sent)" : ""));
        out.println("  uploads   " + e.uploads.size() + ", "
                + e.uploads.stream().mapToLong(Exposure.Upload::bytes).sum() + " bytes received");
        for (Exposure.Trail t : e.trails) {
            out.println("  trail     " + t.dir + ": " + t.files.size() + " files through seq " + t.throughSeq
                    + (t.latest == null ? ", no signed checkpoint" : ", signed head seq " + t.latest.seq()));
        }
        if (e.unsigned() > 0) {
            out.println("  UNSIGNED  " + e.unsigned() + " of these records are after the last signed checkpoint");
        }
        out.println("  (not signed: --format json --out FILE writes the signed manifest)");
        out.println();
        out.printf("  %-40s %14s %6s %-24s %-24s%n", "OBJECT", "BYTES", "COUNT", "FIRST", "LAST");
        e.objects.forEach((path, s) -> {
            out.printf(
                    "  %-40s %14d %6d %-24s %-24s%s%n",
                    path,
                    s.bytes,
                    s.count,
                    s.first,
                    s.last,
                    (s.partial > 0 ? " partial " + s.partial : "")
                            + (s.onProbation > 0 ? " probation " + s.onProbation : ""));
            out.println(
                    "      clients " + String.join(" ", s.clients) + "; addresses " + String.join(" ", s.addresses));
            out.println("      certificates " + String.join(" ", s.certificates) + "; tokens "
                    + (s.tokens.isEmpty() ? "none" : String.join(" ", s.tokens)));
        });
        if (!e.uploads.isEmpty()) {
            out.println();
            out.printf("  %-24s %-6s %-40s %12s %6s %s%n", "UPLOADED", "METHOD", "PATH", "BYTES", "STATUS", "CLIENT");
            e.uploads.stream()
                    .sorted(java.util.Comparator.comparing(Exposure.Upload::time))
                    .forEach(u -> out.printf(
                            "  %-24s %-6s %-40s %12d %6d %s%s%n",
                            u.time(),
                            u.method(),
                            u.path(),
                            u.bytes(),
                            u.status(),
                            u.client(),
                            u.probation() ? " (probation)" : ""));
        }
    }

    public static void csv(Exposure e, PrintWriter out) {
        out.println("kind,path,method,bytes,count,first,last,status,partial,probation,clients,certificates,addresses,"
                + "tokens");
        e.objects.forEach((path, s) -> out.println("served," + AuditReportWriter.csvField(path) + ",," + s.bytes + ","
                + s.count + "," + s.first + "," + s.last + ",," + s.partial + "," + s.onProbation + ","
                + join(s.clients)
                + "," + join(s.certificates) + "," + join(s.addresses) + "," + join(s.tokens)));
        e.uploads.stream()
                .sorted(java.util.Comparator.comparing(Exposure.Upload::time))
                .forEach(u -> out.println("upload," + AuditReportWriter.csvField(String.valueOf(u.path())) + ","
                        + u.method() + "," + u.bytes()
                        + ",1," + u.time() + "," + u.time() + "," + u.status() + ",0," + (u.probation() ? 1 : 0) + ","
                        + join(Set.of(String.valueOf(u.client()))) + "," + join(Set.of(String.valueOf(u.certSha256())))
                        + ","
                        + join(Set.of(String.valueOf(u.remote()))) + ","
                        + join(u.tokenId() == null ? Set.of() : Set.of(u.tokenId()))));
    }

    private static String join(Set<String> values) {
        return AuditReportWriter.csvField(String.join(";", values));
    }
}
