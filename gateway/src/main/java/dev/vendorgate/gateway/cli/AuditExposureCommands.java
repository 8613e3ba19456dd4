package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.audit.AuditReport;
import dev.vendorgate.gateway.audit.AuditSigner;
import dev.vendorgate.gateway.audit.ExposureManifest;
import dev.vendorgate.gateway.audit.ExposureWriter;
import dev.vendorgate.gateway.audit.ManifestVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway audit exposure} and {@code audit verify-manifest}: after a breach, the signed
 * inventory of what a vendor got and sent in a window, and its check against the trails.
 */
final class AuditExposureCommands {

    private AuditExposureCommands() {}

    /** The manifest's formats: json is the signed manifest, table and csv are views of it. */
    enum Format {
        TABLE,
        JSON,
        CSV
    }

    @Command(
            name = "exposure",
            mixinStandardHelpOptions = true,
            description = "Every object served to a vendor in a window (bytes, count, first and last time, clients, "
                    + "certificates, addresses, tokens) and every upload it made; --format json is the manifest, "
                    + "signed with the audit key and naming the chain positions it was built from.")
    static final class Exposure implements Callable<Integer> {
        @Option(names = "--vendor", required = true, paramLabel = "ID", description = "the vendor id")
        String vendor;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "TIME",
                description = "start, inclusive: 2026-11-28, 2026-11-28T10:00:00Z, or a duration ago (72h, 3d); "
                        + "the compromise time")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive (default: now)")
        String to;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "audit",
                description = "an audit folder; repeat for a fleet's folders, merged (default: ${DEFAULT-VALUE})")
        List<Path> dirs;

        @Option(
                names = "--format",
                defaultValue = "TABLE",
                description = "table, json (the signed manifest) or csv (default: table)")
        Format format;

        @Option(names = "--json", description = "the same as --format json")
        boolean json;

        @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of the standard output")
        Path out;

        @Option(
                names = "--signing-key",
                paramLabel = "FILE",
                defaultValue = "audit-key/audit-signing.key",
                description = "the audit signing key that signs the json manifest (audit.signingKey of the policy; "
                        + "default: ${DEFAULT-VALUE})")
        Path signingKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The time the command runs at: what "72h" is counted back from, and the manifest's date. */
        java.time.Clock clock = java.time.Clock.systemUTC();

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            AuditCommand.requireFolders(spec, dirs);
            Format format = json ? Format.JSON : this.format;
            Instant now = clock.instant();
            Instant start;
            Instant end;
            try {
                start = AuditReport.parseTime(from, now);
                end = AuditReport.parseTime(to, now);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--from/--to must be a date "
                                + "(2026-11-28), a time (2026-11-28T10:00:00Z) or a duration ago (72h, 3d)");
            }
            if (end != null && !end.isAfter(start)) {
                err.println("empty window: --to (" + end + ") is not after --from (" + start + ")");
                return 1;
            }
            AuditSigner signer = null;
            if (format == Format.JSON) {
                try {
                    signer = signer(signingKey, dirs);
                } catch (IOException e) {
                    err.println("no manifest written: " + e.getMessage());
                    return 1;
                }
            }
            dev.vendorgate.gateway.audit.Exposure exposure =
                    dev.vendorgate.gateway.audit.Exposure.build(dirs, vendor, start, end);
            String nothing = ExposureWriter.nothingToList(exposure, dirs);
            if (nothing != null) {
                err.println(nothing);
                return 1;
            }
            byte[] bytes;
            if (format == Format.JSON) {
                bytes = ExposureManifest.signed(ExposureManifest.body(exposure, signer.keyId(), now), signer);
            } else {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                try (PrintWriter text =
                        new PrintWriter(new java.io.OutputStreamWriter(buffer, StandardCharsets.UTF_8))) {
                    if (format == Format.CSV) {
                        ExposureWriter.csv(exposure, text);
                    } else {
                        ExposureWriter.table(exposure, text);
                    }
                }
                bytes = buffer.toByteArray();
            }
            if (out == null) {
                // the bytes as signed, whatever the terminal's encoding
                spec.commandLine().getOut().flush();
                System.out.write(bytes);
                System.out.flush();
            } else {
                Files.write(out, bytes);
                err.println("wrote " + out + ": " + exposure.vendor() + ", " + ExposureManifest.summary(exposure));
            }
            if (exposure.unsigned() > 0) {
                err.println("warning: " + exposure.unsigned() + " of the records used are after the last signed "
                        + "checkpoint; verify-manifest accepts them once the gateway has signed them");
            }
            return 0;
        }

        /** The signing key, if it is the key of one of the trails (so a verifier can tie the two together). */
        private static AuditSigner signer(Path keyFile, List<Path> dirs) throws IOException {
            AuditSigner signer = AuditSigner.load(keyFile);
            List<String> keys = new java.util.ArrayList<>();
            for (Path dir : dirs) {
                PublicKey own = AuditSigner.folderKey(dir);
                if (own != null && AuditSigner.keyId(own).equals(signer.keyId())) {
                    return signer;
                }
                keys.add(own == null ? dir + ": none" : dir + ": " + AuditSigner.keyId(own));
            }
            throw new IOException("the signing key " + keyFile + " (" + signer.keyId() + ") signs none of the given "
                    + "trails (" + String.join(", ", keys) + "): pass --signing-key with their audit.signingKey");
        }
    }

    @Command(
            name = "verify-manifest",
            mixinStandardHelpOptions = true,
            description = "Check an exposure manifest: its signature, that the trails it names verify, and that its "
                    + "contents are exactly what their records give. Exit 0 if it holds, 1 if not, 2 on a usage error.")
    static final class VerifyManifest implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the manifest (audit exposure --format json --out FILE)")
        Path file;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "audit",
                description = "an audit folder it was built from; repeat for each (default: ${DEFAULT-VALUE})")
        List<Path> dirs;

        @Option(
                names = "--public-key",
                paramLabel = "FILE",
                description = "the audit signing public key, from a copy kept outside the audit folder")
        Path publicKey;

        @Option(
                names = "--key-fingerprint",
                paramLabel = "HEX",
                description = "the key id the manifest and the " + "trails must be signed with")
        String keyFingerprint;

        @Option(names = "--json", description = "print the result as JSON (for scripts; same exit codes)")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), file + ": no such manifest file");
            }
            AuditCommand.requireFolders(spec, dirs);
            PublicKey key;
            try {
                key = publicKey == null ? null : AuditSigner.readPublicKey(publicKey);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ManifestVerifier.Result result = ManifestVerifier.verify(file, dirs, key, keyFingerprint);
            if (json) {
                com.fasterxml.jackson.databind.node.ObjectNode node = AdminClient.json()
                        .createObjectNode()
                        .put("ok", result.ok())
                        .put("problem", result.problem())
                        .put("vendor", result.vendor())
                        .put("objects", result.objects())
                        .put("uploads", result.uploads())
                        .put("records", result.records());
                result.notes().forEach(node.putArray("notes")::add);
                out.println(node.toPrettyString());
                return result.ok() ? 0 : 1;
            }
            result.notes().forEach(note -> out.println("note: " + note));
            if (!result.ok()) {
                err.println("FAILED: " + result.problem());
                return 1;
            }
            out.println("OK: the manifest of " + result.vendor() + " (" + result.objects() + " objects, "
                    + result.uploads() + " uploads, " + result.records() + " records) is signed by the trail's key, "
                    + "its records are in trails that verify, and its contents are what they give");
            return 0;
        }
    }
}
