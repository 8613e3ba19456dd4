package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.audit.AuditPruner;
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

/**
 * {@code gateway audit verify|report|prune|archive}: prove the trail is intact, say what a vendor
 * accessed, and keep the trail to a retention period without losing what can be proven.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description =
                "Verify the audit trail, report on it, list a vendor's exposure, or prune or archive its old files.",
        subcommands = {
            AuditCommand.Verify.class,
            AuditCommand.Report.class,
            AuditExposureCommands.Exposure.class,
            AuditExposureCommands.VerifyManifest.class,
            AuditCommand.Prune.class,
            AuditCommand.Archive.class
        })
final class AuditCommand implements Runnable {

    /** A usage error (exit 2) unless every one of {@code dirs} is a folder. */
    static void requireFolders(CommandLine.Model.CommandSpec spec, java.util.List<Path> dirs) {
        for (Path dir : dirs) {
            CommandLineFiles.requireFolder(spec, "--dir", dir, "the audit folder");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "say verify, report, exposure, verify-manifest, prune or archive");
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Check the hash chain, the checkpoint signatures and the head of an audit folder. "
                    + "Exit 0 if intact, 1 with the first problem otherwise, 2 on a usage error (no such folder).")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "the audit folder (or --dir)")
        Path positional;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "the audit folder, as for audit report " + "(default: audit)")
        Path dir;

        @Option(names = "--json", description = "print the result as JSON (for scripts)")
        boolean json;

        @Option(
                names = "--public-key",
                paramLabel = "FILE",
                description = "the audit signing public key, from a copy kept outside the audit folder")
        Path publicKey;

        @Option(
                names = "--key-fingerprint",
                paramLabel = "HEX",
                description = "the key id (or SHA-256 of the public key) the trail must be signed with, when "
                        + "--public-key is not given")
        String keyFingerprint;

        @Option(
                names = "--head",
                paramLabel = "SEQ:HASH",
                description = "a checkpoint published outside this host (admin API status audit.head, the "
                        + "vendorgate_audit_checkpoint_seq metric, Redis in a fleet) that the trail must contain")
        String head;

        @Option(
                names = "--allow-unsigned-tail",
                description = "accept records no checkpoint covers yet (a running gateway signs every few seconds), "
                        + "as unproven")
        boolean allowUnsignedTail;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (positional != null && dir != null && !positional.equals(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give the folder once: DIR or --dir");
            }
            Path dir = positional != null ? positional : this.dir != null ? this.dir : Path.of("audit");
            CommandLineFiles.requireFolder(spec, positional != null ? "DIR" : "--dir", dir, "the audit folder");
            PublicKey key;
            try {
                key = publicKey == null ? null : AuditSigner.readPublicKey(publicKey);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--public-key: " + e.getMessage());
            }
            AuditVerifier.Result result = AuditVerifier.verifyWith(
                    dir, new AuditVerifier.Options(key, keyFingerprint, allowUnsignedTail, head));
            if (json) {
                com.fasterxml.jackson.databind.node.ObjectNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("ok", result.ok())
                        .put("problem", result.problem())
                        .put("records", result.records())
                        .put("files", result.files())
                        .put("checkpoints", result.checkpoints())
                        .put("lastSeq", result.lastSeq())
                        .put("lastCheckpointSeq", result.lastCheckpointSeq())
                        .put("unsigned", result.unsigned());
                result.notes().forEach(node.putArray("notes")::add);
                out.println(node.toPrettyString());
                return result.ok() ? 0 : 1;
            }
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

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "What a vendor accessed: requests and bytes per route, objects, refusals, clients, "
                    + "addresses, first and last access.")
    static final class Report implements Callable<Integer> {
        /** Where "now" comes from for --from 1h and the like (a field, so a test can set it). */
        java.time.Clock clock = java.time.Clock.systemUTC();

        @Option(names = "--vendor", required = true, paramLabel = "ID", description = "the vendor id")
        String vendor;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "audit",
                description = "an audit folder; repeat for a fleet's folders, merged (default: ${DEFAULT-VALUE})")
        java.util.List<Path> dirs;

        @Option(
                names = {"--from", "--since"},
                paramLabel = "TIME",
                description = "start, inclusive: 2026-11-28, 2026-11-28T10:00:00Z, or a duration ago (1h, 2d)")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive")
        String to;

        @Option(names = "--format", defaultValue = "TABLE", description = "table, json or csv (default: table)")
        AuditReportWriter.Format format;

        @Option(names = "--json", description = "the same as --format json")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            AuditCommand.requireFolders(spec, dirs);
            Instant start;
            Instant end;
            try {
                Instant now = clock.instant();
                start = AuditReport.parseTime(from, now);
                end = AuditReport.parseTime(to, now);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--from/--to must be a date "
                                + "(2026-11-28), a time (2026-11-28T10:00:00Z) or a duration ago (1h, 2d)");
            }
            AuditReport report = AuditReport.build(dirs, vendor, start, end);
            String nothing = AuditReportWriter.nothingToReport(report, dirs);
            if (nothing != null) {
                // never a false all-clear: a typo in a vendor id or a folder is an error, not "no requests"
                err.println(nothing);
                return 1;
            }
            AuditReportWriter.write(
                    report,
                    json ? AuditReportWriter.Format.JSON : format,
                    spec.commandLine().getOut());
            return 0;
        }
    }

    /** What prune and archive share: the folder, the cut-off and the key that signs the anchor. */
    abstract static class Retention implements Callable<Integer> {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "audit",
                description = "the audit folder (default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(
                names = "--before",
                required = true,
                paramLabel = "TIME",
                description = "remove files whose every record is older: a time, a date, or a duration ago (90d)")
        String before;

        @Option(
                names = "--signing-key",
                paramLabel = "FILE",
                defaultValue = "audit-key/audit-signing.key",
                description = "the audit signing key (audit.signingKey of the policy; default: ${DEFAULT-VALUE})")
        Path signingKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The time the command runs at: "90d" ago, and the date of the anchor it leaves. */
        java.time.Clock clock = java.time.Clock.systemUTC();

        abstract Path archive();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CommandLineFiles.requireFolder(spec, "--dir", dir, "the audit folder");
            if (!Files.exists(signingKey)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--signing-key " + signingKey
                                + ": no such signing key (pass --signing-key with the policy's audit.signingKey)");
            }
            Instant now = clock.instant();
            Instant cut;
            try {
                cut = AuditReport.parseTime(before, now);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--before must be a date (2026-11-28), a "
                                + "time (2026-11-28T10:00:00Z) or a duration ago (90d)");
            }
            AuditPruner.Outcome outcome;
            try {
                outcome = AuditPruner.prune(dir, AuditSigner.loadOrCreate(signingKey, dir), cut, archive(), now);
            } catch (IOException e) {
                err.println("nothing removed: " + e.getMessage());
                return 1;
            }
            if (outcome.removed().isEmpty()) {
                out.println("nothing to remove: no file is entirely older than " + cut);
                return 0;
            }
            out.println((archive() == null ? "removed " : "moved to " + archive() + ": ")
                    + outcome.removed().size()
                    + " files; the trail now starts at seq " + outcome.keptFromSeq() + " (" + outcome.keptFrom()
                    + "), anchored by a signed ANCHOR: audit verify checks it from there");
            return 0;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Delete whole audit files older than a time, leaving a signed anchor so that the rest "
                    + "still verifies.")
    static final class Prune extends Retention {
        @Override
        Path archive() {
            return null;
        }
    }

    @Command(
            name = "archive",
            mixinStandardHelpOptions = true,
            description = "Move whole audit files older than a time to another folder, leaving a signed anchor so "
                    + "that the rest still verifies.")
    static final class Archive extends Retention {
        @Option(names = "--to", required = true, paramLabel = "DIR", description = "where the old files go")
        Path to;

        @Override
        Path archive() {
            return to;
        }
    }
}
