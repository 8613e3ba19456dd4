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

    @Command(
            name = "suspend",
            mixinStandardHelpOptions = true,
            description = "Suspend a vendor now: durable, then every request refused and (by default) every open "
                    + "connection and download cut.")
    static final class Suspend extends Call {
        @Parameters(paramLabel = "VENDOR")
        String vendor;

        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Option(
                names = "--mode",
                defaultValue = "sever",
                description = "sever (cut now, default) or drain " + "(let requests in flight finish)")
        String mode;

        @Option(
                names = "--until",
                paramLabel = "TIME",
                description = "lift by itself at this time " + "(2026-12-01T00:00:00Z) or after this long (2h)")
        String until;

        @Option(names = "--read-only", description = "only refuse writes (non-GET/HEAD/OPTIONS); keep connections")
        boolean readOnly;

        @Option(
                names = "--breach",
                description = "a breach: also cut off for good every certificate issued and token "
                        + "minted before now (or --compromised-since), also after a resume")
        boolean breach;

        @Option(
                names = "--compromised-since",
                paramLabel = "TIME",
                description = "with --breach: the cut-off, a time "
                        + "(2026-11-28T00:00:00Z) or a duration ago (72h); default: now")
        String compromisedSince;

        @Override
        void validate() {
            requireMode(mode);
        }

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            ObjectNode body = body().put("reason", reason).put("mode", mode).put("readOnly", readOnly);
            if (until != null) {
                body.put("until", until);
            }
            if (breach) {
                body.put("breach", true);
            }
            if (compromisedSince != null) {
                body.put("compromisedSince", compromisedSince);
            }
            return client.post("/admin/vendors/" + vendor + "/suspend", body);
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            printSuspension(r, out);
        }
    }

    static String ofLimit(int used, int limit) {
        return limit > 0 ? used + "/" + limit : Integer.toString(used);
    }

    static String bytes(long bytes) {
        return Units.human(bytes);
    }

    static void printSuspension(JsonNode r, PrintWriter out) {
        String who = "*".equals(r.path("vendor").asText())
                ? "all vendors"
                : r.path("vendor").asText();
        out.println(who + " " + r.path("status").asText() + " (durable); "
                + r.path("mode").asText() + ": "
                + r.path("closed").path("connections").asInt() + " connections and "
                + r.path("closed").path("requests").asInt() + " requests in flight "
                + ("drain".equals(r.path("mode").asText()) ? "finishing" : "cut")
                + (r.path("tookMs").isNumber() ? " in " + r.path("tookMs").asText() + " ms" : ""));
        if (r.path("credentialCutoff").isTextual()) {
            out.println(
                    "credential cut-off " + r.path("credentialCutoff").asText() + ": certificates issued and tokens "
                            + "minted before it are refused for good, also after a resume (new certificates: issue them after "
                            + "the cut-off, or gateway ctl enroll " + who + " --cert FILE)");
        }
    }

    @Command(
            name = "end-probation",
            mixinStandardHelpOptions = true,
            description = "End a vendor's probation after a breach: full access again. Needs another operator than "
                    + "the one who resumed it.")
    static final class EndProbation extends Call {
        @Parameters(paramLabel = "VENDOR")
        String vendor;

        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            return client.post("/admin/vendors/" + vendor + "/end-probation", body().put("reason", reason));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println(r.path("vendor").asText() + " " + r.path("status").asText() + " (durable): probation ended");
        }
    }

    @Command(
            name = "enroll",
            mixinStandardHelpOptions = true,
            description = "Admit one certificate of a vendor despite its credential cut-off (for a CA that back-dates "
                    + "notBefore).")
    static final class Enroll extends Call {
        @Parameters(paramLabel = "VENDOR")
        String vendor;

        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        /**
         * {@code --cert} after {@code enroll} names the vendor's certificate (as the runbook says);
         * the operator's own is the one given before {@code enroll}, or $VENDORGATE_CERT.
         */
        private java.nio.file.Path vendorCert() {
            List<String> given = spec.commandLine().getParseResult().matchedOption("--cert") == null
                    ? List.of()
                    : spec.commandLine()
                            .getParseResult()
                            .matchedOption("--cert")
                            .stringValues();
            if (given.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "name the vendor's certificate: "
                                + "enroll VENDOR --cert FILE (the operator's certificate goes before enroll, or in "
                                + "$VENDORGATE_CERT)");
            }
            return java.nio.file.Path.of(given.get(given.size() - 1));
        }

        @Override
        java.nio.file.Path operatorCert() {
            CommandLine.ParseResult top = spec.parent().commandLine().getParseResult();
            CommandLine.Model.OptionSpec before = top == null ? null : top.matchedOption("--cert");
            if (before != null && !before.stringValues().isEmpty()) {
                return java.nio.file.Path.of(before.stringValues().get(0));
            }
            String env = System.getenv("VENDORGATE_CERT");
            return env == null || env.isBlank() ? null : java.nio.file.Path.of(env);
        }

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            java.nio.file.Path cert = vendorCert();
            String sha256;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(cert)) {
                java.security.cert.Certificate certificate = java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in);
                sha256 = java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(certificate.getEncoded()));
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--cert " + cert + ": not a readable PEM certificate");
            }
            return client.post(
                    "/admin/vendors/" + vendor + "/enroll",
                    body().put("sha256", sha256).put("reason", reason));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println("enrolled certificate " + r.path("sha256").asText() + " of "
                    + r.path("vendor").asText() + " (durable): it is admitted despite the cut-off of "
                    + r.path("credentialCutoff").asText());
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lift a vendor's suspension.")
    static final class Resume extends Call {
        @Parameters(paramLabel = "VENDOR")
        String vendor;

        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Option(
                names = "--full",
                description =
                        "after a breach suspension: full access at once instead of probation " + "(recorded as such)")
        boolean full;

        @Option(
                names = "--probation",
                paramLabel = "TIME",
                description = "after a breach suspension: end the probation "
                        + "by itself after this long (14d) or at this time; default: an operator ends it")
        String probation;

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            ObjectNode body = body().put("reason", reason);
            if (full) {
                body.put("full", true);
            }
            if (probation != null) {
                body.put("probation", probation);
            }
            return client.post("/admin/vendors/" + vendor + "/resume", body);
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println(r.path("vendor").asText() + " " + r.path("status").asText() + " (durable)"
                    + (r.path("probation").asBoolean()
                            ? ": on probation after the breach (reads only, reduced limits) "
                                    + "until another operator runs ctl end-probation"
                                    + (r.path("probationUntil").isTextual()
                                            ? " or " + r.path("probationUntil").asText()
                                            : "")
                            : ""));
        }
    }

    @Command(
            name = "suspend-all",
            mixinStandardHelpOptions = true,
            description = "The global switch: suspend every vendor.")
    static final class SuspendAll extends Call {
        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Option(names = "--mode", defaultValue = "sever", description = "sever (default) or drain")
        String mode;

        @Override
        void validate() {
            requireMode(mode);
        }

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            return client.post(
                    "/admin/suspend-all", body().put("reason", reason).put("mode", mode));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            printSuspension(r, out);
        }
    }

    @Command(name = "resume-all", mixinStandardHelpOptions = true, description = "Turn the global switch off.")
    static final class ResumeAll extends Call {
        @Option(names = "--reason", required = true, description = "why (recorded in the audit trail)")
        String reason;

        @Override
        AdminClient.Reply send(AdminClient client) throws AdminClient.Unreachable {
            return client.post("/admin/resume-all", body().put("reason", reason));
        }

        @Override
        void print(JsonNode r, PrintWriter out) {
            out.println("global switch off (durable); vendors suspended one by one stay suspended");
        }
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
