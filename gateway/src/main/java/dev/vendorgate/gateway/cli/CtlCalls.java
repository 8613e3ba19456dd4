package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.policy.Units;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The calls of {@code gateway ctl}, one class each. */
final class CtlCalls {

    private CtlCalls() {}

    /** What every call shares: the connection, printing, exit codes. */
    abstract static class Call implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable;

        abstract void print(JsonNode body, PrintWriter out);

        /** Checks the call's own options before connecting; a bad value is a usage error (exit 2). */
        void validate() {}

        /** A usage error unless {@code mode} is sever or drain. */
        final void requireMode(String mode) {
            if (!mode.equals("sever") && !mode.equals("drain")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--mode must be sever or drain, not '" + mode + "'");
            }
        }

        /** The operator's certificate file ({@code --cert}). */
        java.nio.file.Path operatorCert() {
            return ctl.cert;
        }

        /** What of a successful reply is shown (a filter of the call's, say); by default all of it. */
        JsonNode shown(JsonNode body) {
            return body;
        }

        /** Prints a successful reply; a call whose answer is not JSON prints it as it came. */
        void print(AdminClient.Reply reply, PrintWriter out) {
            print(reply.body(), out);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            validate();
            AdminClient.Reply reply;
            try {
                reply = send(AdminClient.connect(ctl.admin, operatorCert(), ctl.key, ctl.cacert));
            } catch (AdminClient.Misconfigured e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (AdminClient.Unreachable e) {
                err.println("error: " + e.getMessage());
                return 3;
            }
            if (ctl.json) {
                (reply.ok() ? out : err).println((reply.ok() ? shown(reply.body()) : reply.body()).toPrettyString());
            } else if (reply.ok()) {
                JsonNode shown = shown(reply.body());
                print(shown == reply.body() ? reply : new AdminClient.Reply(reply.status(), shown), out);
            } else {
                err.println(refusal(reply));
                reply.body().path("errors").forEach(e -> err.println("  " + e.asText()));
            }
            out.flush();
            err.flush();
            return reply.ok() ? 0 : 1;
        }

        /** A refusal in one line: status, the problem's code, and its detail (or title, or the body's text). */
        static String refusal(AdminClient.Reply reply) {
            JsonNode problem = reply.body();
            String code = code(problem);
            String detail = problem.path("detail").asText("");
            if (detail.isBlank()) {
                detail = problem.path("title").asText("");
            }
            if (detail.isBlank()) {
                String text = reply.text() == null ? "" : reply.text().strip();
                detail = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            }
            return "refused (" + reply.status() + (code.isEmpty() ? "" : " " + code) + "): "
                    + (detail.isBlank() ? "no detail given" : detail);
        }

        static String code(JsonNode problem) {
            String type = problem.path("type").asText("");
            return type.substring(type.lastIndexOf(':') + 1);
        }

        static ObjectNode body() {
            return AdminClient.json().createObjectNode();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The gateway's state at a glance.")
    static final class Status extends Call {
        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            return client.get("/admin/status");
        }

        @Override
        void print(JsonNode s, PrintWriter out) {
            JsonNode g = s.path("gateway");
            out.println("gateway        " + g.path("version").asText() + ", up "
                    + g.path("uptimeSeconds").asLong() + "s"
                    + (g.path("draining").asBoolean() ? ", DRAINING" : "") + " ("
                    + g.path("transport").asText() + ", "
                    + g.path("tls").asText() + ")");
            out.println("policy         " + s.path("policy").path("source").asText() + ": "
                    + s.path("policy").path("vendors").asInt() + " vendors, "
                    + s.path("policy").path("routes").asInt()
                    + " routes; sha256 " + s.path("policy").path("sha256").asText());
            if (s.path("policy").path("lastReload").isTextual()) {
                out.println(
                        "last reload    " + s.path("policy").path("lastReload").asText());
            }
            JsonNode global = s.path("global");
            out.println("global switch  "
                    + (global.path("suspended").asBoolean()
                            ? "ON: all vendors suspended by "
                                    + global.path("suspension").path("operator").asText() + ": "
                                    + global.path("suspension").path("reason").asText()
                            : "off"));
            out.println(
                    "control state  " + s.path("controlStore").path("location").asText()
                            + (s.path("controlStore").path("healthy").asBoolean() ? "" : " (NOT WRITABLE)"));
            JsonNode audit = s.path("audit");
            out.println("audit trail    " + audit.path("dir").asText() + ": "
                    + audit.path("written").asLong() + " records written"
                    + (audit.path("healthy").asBoolean() ? "" : " (NOT WRITABLE)"));
            out.println("traffic        " + s.path("connections").asInt() + " vendor connections, "
                    + s.path("inFlight").asInt() + " requests in flight");
            s.path("tripwireTrips")
                    .forEach(t -> out.println("tripwire       "
                            + t.path("vendor").asText() + ": "
                            + t.path("rule").asText() + " at " + t.path("at").asText() + " ("
                            + t.path("action").asText() + ", "
                            + t.path("outcome").asText() + "): "
                            + t.path("reason").asText()));
        }
    }

    /** An ISO-8601 instant to the second, as people read it ({@code 2026-12-02T03:04:05Z}); other text as it is. */
    static String toSecond(String instant) {
        try {
            return java.time.Instant.parse(instant)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    static String ofLimit(int used, int limit) {
        return limit > 0 ? used + "/" + limit : Integer.toString(used);
    }

    static String bytes(long bytes) {
        return Units.human(bytes);
    }

    @Command(
            name = "reload",
            mixinStandardHelpOptions = true,
            description = "Reload the policy file; an invalid one is refused and the running policy stays.")
    static final class Reload extends Call {
        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Option(
                names = "--dry-run",
                description = "say what the reload would change (vendors, grants, limits, routes, "
                        + "what needs a restart) without applying it")
        boolean dryRun;

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            ObjectNode body = body().put("reason", reason);
            if (dryRun) {
                body.put("dryRun", true);
            }
            return client.post("/admin/policy/reload", body);
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            if (r.path("dryRun").asBoolean()) {
                if (!r.path("valid").asBoolean()) {
                    out.println("the policy file has errors; a reload would keep the running policy:");
                    r.path("errors").forEach(e -> out.println("  " + e.asText()));
                    return;
                }
                out.println("a reload would apply policy " + r.path("sha256").asText()
                        + (r.path("changes").isEmpty() ? ": no change" : ":"));
                r.path("changes").forEach(c -> out.println("  " + c.asText()));
                r.path("notes").forEach(n -> out.println("  " + n.asText()));
                return;
            }
            out.println("policy reloaded: " + r.path("vendors").asInt() + " vendors, "
                    + r.path("routes").asInt() + " routes");
            r.path("changes").forEach(c -> out.println("  " + c.asText()));
            r.path("notes").forEach(n -> out.println("  " + n.asText()));
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "What a vendor accessed, from the gateway's own audit trail (as audit report, without a "
                    + "shell on the gateway host; the viewer role is enough).")
    static final class Report extends Call {
        @Parameters(paramLabel = "VENDOR", description = "the vendor id")
        String vendor;

        @Option(
                names = {"--since", "--from"},
                paramLabel = "TIME",
                description = "start: a duration ago (1h, 2d), a date or a time")
        String since;

        @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive")
        String to;

        @Option(
                names = "--format",
                defaultValue = "table",
                paramLabel = "FORMAT",
                description = "table, json or csv (default: ${DEFAULT-VALUE})")
        String format;

        @Override
        void validate() {
            if (!List.of("table", "json", "csv").contains(format.toLowerCase(java.util.Locale.ROOT))) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--format must be table, json or csv, not '" + format + "'");
            }
        }

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            StringBuilder path = new StringBuilder("/v1/vendors/")
                    .append(encode(vendor))
                    .append("/report?format=")
                    .append(encode(ctl.json ? "json" : format));
            if (since != null) {
                path.append("&since=").append(encode(since));
            }
            if (to != null) {
                path.append("&to=").append(encode(to));
            }
            return client.get(path.toString());
        }

        private static String encode(String value) {
            return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            out.println(body.toPrettyString());
        }

        @Override
        void print(AdminClient.Reply reply, PrintWriter out) {
            if (format.equalsIgnoreCase("json")) {
                print(reply.body(), out);
            } else {
                out.print(reply.text()); // a table or CSV, as the gateway rendered it
            }
        }
    }
}
