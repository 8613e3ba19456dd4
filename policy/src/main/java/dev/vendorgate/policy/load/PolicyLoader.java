package dev.vendorgate.policy.load;

import dev.vendorgate.policy.AuditSpec;
import dev.vendorgate.policy.Listeners;
import dev.vendorgate.policy.Operator;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import dev.vendorgate.policy.Route;
import dev.vendorgate.policy.StateSpec;
import dev.vendorgate.policy.TokensSpec;
import dev.vendorgate.policy.Tripwires;
import dev.vendorgate.policy.Upstream;
import dev.vendorgate.policy.Vendor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a policy file. Every error in the file is reported at once, each with
 * file, line, column and field path; a policy with any error is refused whole.
 */
public final class PolicyLoader {

    private static final Set<String> TOP = Set.of(
            "version",
            "listeners",
            "upstreams",
            "routes",
            "vendors",
            "operators",
            "controlStore",
            "audit",
            "tokens",
            "probation",
            "tripwires");

    private PolicyLoader() {}

    /**
     * Loads {@code file}, resolving relative paths inside it against its folder and checking
     * that every file it names exists.
     */
    public static Policy load(Path file) throws PolicyException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        String text;
        if (Files.isDirectory(file)) {
            throw failure(name, "cannot read the file: it is a folder");
        }
        try {
            // read at most one byte more than allowed: Files.size is 0 for /dev/zero or a pipe,
            // which readAllBytes would read until memory runs out
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(YamlReader.MAX_DOCUMENT_CHARS + 1);
            }
            if (bytes.length > YamlReader.MAX_DOCUMENT_CHARS) {
                throw failure(name, "the file is larger than " + YamlReader.MAX_DOCUMENT_CHARS + " bytes");
            }
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw failure(name, "the file is not valid UTF-8");
        } catch (IOException e) {
            throw failure(name, "cannot read the file: " + describe(e));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, name, dir, true);
    }

    /**
     * Parses policy text.
     *
     * @param text the YAML
     * @param fileName the name used in error messages
     * @param baseDir the folder relative paths are resolved against
     * @param checkFiles whether to report files the policy names that do not exist
     */
    public static Policy parse(String text, String fileName, Path baseDir, boolean checkFiles) throws PolicyException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(baseDir, "baseDir");
        Problems problems = new Problems(fileName);
        YamlNode root = new YamlReader().read(text, problems);
        if (root == null || !problems.isEmpty()) {
            throw new PolicyException(problems.sorted());
        }
        MapReader top = MapReader.of(root, "", problems, TOP);
        if (top == null) {
            throw new PolicyException(problems.sorted());
        }
        ReadContext context = new ReadContext(problems, baseDir.toAbsolutePath());
        References references = new References(problems);

        Long version = top.integer("version", Long.MIN_VALUE, Long.MAX_VALUE, 1L);
        if (version != null && version != 1) {
            problems.add(top.get("version"), "version", "only version 1 is supported by this gateway");
        }
        Listeners listeners = top.has("listeners")
                ? new ListenersReader(context).read(top.get("listeners"), "listeners")
                : top.missing("listeners");
        Map<String, Upstream> upstreams =
                top.has("upstreams") ? new UpstreamsReader(context).read(top.get("upstreams"), "upstreams") : Map.of();
        List<Route> routes = new RoutesReader(context, references).read(top.list("routes", false));
        VendorsReader vendorsReader = new VendorsReader(context, references);
        List<Vendor> vendors = vendorsReader.vendors(top.list("vendors", false));
        List<Operator> operators = vendorsReader.operators(top.list("operators", false));
        RuntimeReader runtime = new RuntimeReader(context, baseDir.toAbsolutePath());
        StateSpec state = runtime.state(top);
        AuditSpec audit = runtime.audit(top);
        TokensSpec tokens = top.has("tokens") ? new TokensReader(context).read(top.get("tokens")) : null;
        references.checkTokens(top.has("tokens"));
        Double probationFactor = Policy.DEFAULT_PROBATION_FACTOR;
        if (top.has("probation")) {
            MapReader probation = MapReader.of(top.get("probation"), "probation", problems, Set.of("factor"));
            probationFactor =
                    probation == null ? null : probation.positiveNumber("factor", Policy.DEFAULT_PROBATION_FACTOR);
            if (probationFactor != null && probationFactor > 1) {
                problems.add(
                        probation.get("factor"),
                        probation.pathOf("factor"),
                        "must be at most 1 (a share of the " + "vendor's limits)");
                probationFactor = null;
            }
        }

        Tripwires tripwires = top.has("tripwires")
                ? new TripwiresReader(problems, vendors).read(top.get("tripwires"))
                : Tripwires.NONE;

        // every upstream written down counts as defined, also one with errors of its own: a route
        // naming it must not get a second, misleading "unknown upstream" error
        references.check(
                top.get("upstreams") instanceof YamlNode.Mapping m ? m.entries().keySet() : upstreams.keySet(), routes);
        if (checkFiles) {
            context.checkFiles();
        }
        if (!problems.isEmpty()
                || version == null
                || listeners == null
                || state == null
                || audit == null
                || top.has("tokens") && tokens == null
                || probationFactor == null
                || tripwires == null) {
            throw new PolicyException(problems.sorted());
        }
        return new Policy(
                source(baseDir.toAbsolutePath(), fileName),
                listeners,
                upstreams,
                routes,
                vendors,
                operators,
                state,
                audit,
                Optional.ofNullable(tokens),
                sha256(text),
                probationFactor,
                tripwires);
    }

    /** The SHA-256 (hex) of the text's UTF-8 bytes: for a file, the SHA-256 of the file. */
    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The policy's file in {@code baseDir}; a name that is no file name (such as "/") names the folder. */
    private static Path source(Path baseDir, String fileName) {
        try {
            Path name = Path.of(fileName).getFileName();
            return name == null ? baseDir : baseDir.resolve(name);
        } catch (java.nio.file.InvalidPathException e) {
            return baseDir;
        }
    }

    private static PolicyException failure(String file, String message) {
        return new PolicyException(List.of(new PolicyError(file, 0, 0, "", message)));
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? type : e.getMessage();
    }
}
