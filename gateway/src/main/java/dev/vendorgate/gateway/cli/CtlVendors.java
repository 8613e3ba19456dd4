package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway ctl vendors [V] [--suspended]}: every vendor, or one, with its state, as a table
 * whose columns are as wide as what they hold (a long vendor id does not push the rest out of line).
 */
@Command(name = "vendors", mixinStandardHelpOptions = true, description = "Every vendor, or one, with its state.")
final class CtlVendors extends CtlCalls.Call {

    private static final String[] HEADINGS = {
        "VENDOR", "STATUS", "CONNECTIONS", "IN FLIGHT", "SENT TODAY / QUOTA", "SUSPENDED"
    };

    @Parameters(arity = "0..1", paramLabel = "VENDOR", description = "one vendor id")
    String vendor;

    @Option(names = "--suspended", description = "only the vendors that are suspended (fully or read-only)")
    boolean suspended;

    @Override
    AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
        return client.get(vendor == null ? "/admin/vendors" : "/admin/vendors/" + vendor);
    }

    @Override
    JsonNode shown(JsonNode body) {
        if (!suspended || !body.has("vendors")) {
            return body;
        }
        ObjectNode filtered = body.deepCopy();
        ArrayNode list = filtered.putArray("vendors");
        for (JsonNode v : body.path("vendors")) {
            String status = v.path("status").asText();
            if (status.equals("suspended") || status.equals("read-only")) {
                list.add(v);
            }
        }
        return filtered;
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        JsonNode list = body.has("vendors")
                ? body.path("vendors")
                : AdminClient.json().createArrayNode().add(body);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (JsonNode v : list) {
            rows.add(row(v));
        }
        table(rows, out);
    }

    /** Prints rows in columns as wide as their widest cell; numbers right-aligned, the last column as it is. */
    static void table(List<String[]> rows, PrintWriter out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                boolean last = c == columns - 1;
                boolean right = c >= 2 && c <= 4; // the figures
                String cell = row[c];
                String pad = " ".repeat(last ? 0 : widths[c] - cell.length());
                line.append(right ? pad + cell : cell + pad);
                if (!last) {
                    line.append(c == columns - 2 ? "  " : " ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String[] row(JsonNode v) {
        JsonNode s = v.path("suspension");
        String why = s.isObject()
                ? CtlCalls.toSecond(s.path("since").asText()) + " by "
                        + s.path("operator").asText()
                        + ": " + s.path("reason").asText()
                        + (s.path("until").isTextual()
                                ? " (until " + CtlCalls.toSecond(s.path("until").asText()) + ")"
                                : "")
                : v.path("globalSuspension").asBoolean()
                        ? "(global switch)"
                        : "suspended".equals(v.path("policyStatus").asText()) ? "(in the policy file)" : "";
        if (v.path("credentialCutoff").isTextual()) {
            why = (why.isEmpty() ? "" : why + "; ") + "credentials cut off before "
                    + CtlCalls.toSecond(v.path("credentialCutoff").asText()) + " ("
                    + v.path("enrolled").size()
                    + " enrolled)";
        }
        if (v.path("tripwire").isObject()) {
            why = (why.isEmpty() ? "" : why + "; ") + "tripwire "
                    + v.path("tripwire").path("rule").asText() + " tripped at "
                    + CtlCalls.toSecond(v.path("tripwire").path("at").asText());
        }
        JsonNode usage = v.path("usage");
        JsonNode sent = usage.path("bytesOut");
        String quota = CtlCalls.bytes(sent.path("used").asLong()) + " / "
                + (sent.path("limit").asLong() > 0
                        ? CtlCalls.bytes(sent.path("limit").asLong())
                        : "-");
        return new String[] {
            v.path("id").asText(),
            v.path("status").asText(),
            CtlCalls.ofLimit(
                    v.path("connections").asInt(),
                    usage.path("connections").path("limit").asInt()),
            CtlCalls.ofLimit(
                    v.path("inFlight").asInt(),
                    usage.path("inFlight").path("limit").asInt()),
            quota,
            why
        };
    }
}
