package dev.vendorgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.cli.CtlCalls.Call;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The calls of {@code gateway ctl} that change a vendor's access: suspend, resume, probation, enrolment. */
final class CtlSuspensions {

    private CtlSuspensions() {}

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
}
