package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.audit.AuditReport;
import dev.vendorgate.gateway.audit.AuditReportWriter;
import dev.vendorgate.gateway.audit.AuditSigner;
import dev.vendorgate.gateway.audit.AuditVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway audit verify|report}: prove the trail is intact, and say what a vendor accessed. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify the audit trail or report on it.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Report.class})
final class AuditCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say verify or report");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain, the checkpoint signatures and the head of an audit folder. "
                    + "Exit 0 if intact, 1 with the first problem otherwise.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "the audit folder")
        Path dir;

        @Option(names = "--public-key", paramLabel = "FILE",
                description = "the audit signing public key, from a copy kept outside the audit folder")
        Path publicKey;

        @Option(names = "--key-fingerprint", paramLabel = "HEX",
                description = "the key id (or SHA-256 of the public key) the trail must be signed with, when "
                        + "--public-key is not given")
        String keyFingerprint;

        @Option(names = "--head", paramLabel = "SEQ:HASH",
                description = "a checkpoint published outside this host (admin API status audit.head, the "
                        + "vendorgate_audit_checkpoint_seq metric, Redis in a fleet) that the trail must contain")
        String head;

        @Option(names = "--allow-unsigned-tail",
                description = "accept records no checkpoint covers yet (a running gateway signs every few seconds), "
                        + "as unproven")
        boolean allowUnsignedTail;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir)) {
                err.println(dir + ": not a folder");
                return 1;
            }
            PublicKey key;
            try {
                key = publicKey == null ? null : AuditSigner.readPublicKey(publicKey);
            } catch (IOException e) {
                err.println(e.getMessage());
                return 2;
            }
            AuditVerifier.Result result = AuditVerifier.verifyWith(dir, new AuditVerifier.Options(key, keyFingerprint,
                    allowUnsignedTail, head));
            result.notes().forEach(note -> out.println("note: " + note));
            if (!result.ok()) {
                err.println("FAILED: " + result.problem());
                err.println("checked " + result.records() + " records in " + result.files() + " files before that");
                return 1;
            }
            out.println("OK: " + result.records() + " records in " + result.files() + " files, " + result.checkpoints()
                    + " signed checkpoints; the chain is intact and reaches the recorded head"
                    + (result.unsigned() > 0 ? " (the last " + result.unsigned() + " not signed yet)" : ""));
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "What a vendor accessed: requests and bytes per route, objects, refusals, clients, "
                    + "addresses, first and last access.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--vendor", required = true, paramLabel = "ID", description = "the vendor id")
        String vendor;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "audit",
                description = "the audit folder (default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--from", paramLabel = "TIME", description = "start, inclusive: 2026-11-28 or 2026-11-28T10:00:00Z")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive")
        String to;

        @Option(names = "--format", defaultValue = "TABLE",
                description = "table, json or csv (default: table)")
        AuditReportWriter.Format format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println(dir + ": not a folder (pass --dir with the audit folder)");
                return 1;
            }
            Instant start;
            Instant end;
            try {
                start = AuditReport.parseTime(from);
                end = AuditReport.parseTime(to);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--from/--to must be a date (2026-11-28) or a time (2026-11-28T10:00:00Z)");
            }
            AuditReportWriter.write(AuditReport.build(dir, vendor, start, end), format, spec.commandLine().getOut());
            return 0;
        }
    }
}
