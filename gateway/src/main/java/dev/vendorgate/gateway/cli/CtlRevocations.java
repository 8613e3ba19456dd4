package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gateway ctl revocations}: every revocation in force (tokens, clients, vendors, signing keys). */
@Command(name = "revocations", mixinStandardHelpOptions = true,
        description = "List the revocations in force: token ids (until when), and the clients, vendors and signing "
                + "keys whose tokens are refused (issued before when). A suspension shows as its vendor's entry.")
final class CtlRevocations extends CtlCalls.Call {

    @Override
    AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
        return client.get("/admin/revocations");
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        JsonNode list = body.path("revocations");
        if (list.isEmpty()) {
            out.println("no revocations in force");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KIND", "SUBJECT", "REFUSED"});
        for (JsonNode r : list) {
            String kind = r.path("kind").asText();
            String refused = switch (kind) {
                case "token" -> r.path("expires").isTextual()
                        ? "until " + CtlCalls.toSecond(r.path("expires").asText()) + " (when it has expired anyway)"
                        : "for good";
                case "key" -> "every token it signed (retired " + CtlCalls.toSecond(r.path("since").asText()) + ")";
                default -> "tokens issued before " + CtlCalls.toSecond(r.path("since").asText());
            };
            rows.add(new String[] {kind, r.path("subject").asText(), refused});
        }
        int kindWidth = 0;
        int subjectWidth = 0;
        for (String[] row : rows) {
            kindWidth = Math.max(kindWidth, row[0].length());
            subjectWidth = Math.max(subjectWidth, row[1].length());
        }
        for (String[] row : rows) {
            out.println(String.format("%-" + kindWidth + "s  %-" + subjectWidth + "s  %s", (Object[]) row).stripTrailing());
        }
    }
}
