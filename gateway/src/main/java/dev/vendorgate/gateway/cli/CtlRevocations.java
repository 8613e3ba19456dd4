package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway ctl revocations}: every revocation in force (tokens, clients, vendors, signing
 * keys); and, nested, {@code gateway ctl revoke}.
 */
@Command(
        name = "revocations",
        mixinStandardHelpOptions = true,
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
                case "token" ->
                    r.path("expires").isTextual()
                            ? "until " + CtlCalls.toSecond(r.path("expires").asText()) + " (when it has expired anyway)"
                            : "for good";
                case "key" ->
                    "every token it signed (retired "
                            + CtlCalls.toSecond(r.path("since").asText()) + ")";
                default ->
                    "tokens issued before " + CtlCalls.toSecond(r.path("since").asText());
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
            out.println(String.format("%-" + kindWidth + "s  %-" + subjectWidth + "s  %s", (Object[]) row)
                    .stripTrailing());
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke tokens: one by id, every token of a client or a vendor issued until now, or every "
                    + "token signed with a key.")
    static final class Revoke extends CtlCalls.Call {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--token", paramLabel = "JTI", description = "one token, by its id (jti)")
            String token;

            @Option(names = "--client", paramLabel = "CLIENT", description = "every token of a client id")
            String client;

            @Option(names = "--vendor", paramLabel = "VENDOR", description = "every token of a vendor")
            String vendor;

            @Option(
                    names = "--signing-key",
                    paramLabel = "KID",
                    description = "every token signed with this key (a key "
                            + "retired by 'keys rotate --now --retire-old'), on every node at once")
            String key;
        }

        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            String kind = target.token != null
                    ? "token"
                    : target.client != null ? "client" : target.key != null ? "key" : "vendor";
            String subject = target.token != null
                    ? target.token
                    : target.client != null ? target.client : target.key != null ? target.key : target.vendor;
            return client.post(
                    "/admin/revocations",
                    CtlCalls.Call.body()
                            .put("kind", kind)
                            .put("subject", subject)
                            .put("reason", reason));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println("revoked " + r.path("kind").asText() + " "
                    + r.path("subject").asText() + " (durable); every "
                    + "token it covers is refused from the next request on");
            if (r.path("alreadyRevoked").asBoolean()) {
                out.println("note: it was already revoked");
            } else if (r.path("known").isBoolean() && !r.path("known").asBoolean()) {
                out.println("note: " + r.path("subject").asText() + " is not a token this gateway has issued or seen "
                        + "(this node, the last two hours): check the id; it is revoked anyway, in case another node "
                        + "or issuer made it");
            }
        }
    }
}
