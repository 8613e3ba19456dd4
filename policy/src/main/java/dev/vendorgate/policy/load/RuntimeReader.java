package dev.vendorgate.policy.load;

import dev.vendorgate.policy.AuditSpec;
import dev.vendorgate.policy.StateSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads {@code controlStore} and {@code audit}: where runtime state and the audit trail live. */
final class RuntimeReader {

    static final String DEFAULT_STATE_DIR = "state";
    static final String DEFAULT_AUDIT_DIR = "audit";
    static final String DEFAULT_AUDIT_KEY = "audit-key/audit-signing.key";
    private static final Set<String> AUDIT =
            Set.of("dir", "failClosed", "checkpointInterval", "maxFileBytes", "signingKey", "maxAge");

    private final ReadContext context;
    private final Path baseDir;

    RuntimeReader(ReadContext context, Path baseDir) {
        this.context = context;
        this.baseDir = baseDir;
    }

    /** {@code file:DIR} or {@code redis://host:port[/db]}; default {@code file:state/}. */
    StateSpec state(MapReader top) {
        String text = top.string("controlStore", false);
        Path defaultDir = baseDir.resolve(DEFAULT_STATE_DIR);
        if (text == null) {
            return new StateSpec(defaultDir, Optional.empty());
        }
        if (text.startsWith("file:")) {
            String dir = text.substring("file:".length());
            if (dir.isBlank()) {
                context.problems.add(top.get("controlStore"), "controlStore", "name a folder, for example file:state/");
                return null;
            }
            Path folder = context.folder(top, "controlStore", dir, DEFAULT_STATE_DIR);
            return folder == null ? null : new StateSpec(folder, Optional.empty());
        }
        if (text.startsWith("redis://") || text.startsWith("rediss://")) {
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null) {
                    throw new URISyntaxException(text, "no host");
                }
                return new StateSpec(defaultDir, Optional.of(uri));
            } catch (URISyntaxException e) {
                // the value is not echoed: it may hold a password
                context.problems.add(
                        top.get("controlStore"),
                        "controlStore",
                        "is not a Redis URI (redis://[user:password@]host:port[/db][?prefix=...])");
                return null;
            }
        }
        context.problems.add(
                top.get("controlStore"),
                "controlStore",
                "must be file:<folder> or redis://host:port, found '" + text + "'");
        return null;
    }

    AuditSpec audit(MapReader top) {
        if (!top.has("audit")) {
            return new AuditSpec(
                    baseDir.resolve(DEFAULT_AUDIT_DIR),
                    true,
                    AuditSpec.DEFAULT_CHECKPOINT,
                    AuditSpec.DEFAULT_MAX_FILE_BYTES,
                    baseDir.resolve(DEFAULT_AUDIT_KEY),
                    java.util.Optional.empty());
        }
        MapReader r = MapReader.of(top.get("audit"), "audit", context.problems, AUDIT);
        if (r == null) {
            return null;
        }
        String dir = r.string("dir", false);
        Boolean failClosed = bool(r, "failClosed", true);
        Duration checkpoint = r.duration("checkpointInterval", AuditSpec.DEFAULT_CHECKPOINT);
        Long maxFile = r.size("maxFileBytes", AuditSpec.DEFAULT_MAX_FILE_BYTES);
        Path folder = context.folder(r, "dir", dir, DEFAULT_AUDIT_DIR);
        Path key = signingKey(r, folder);
        Duration maxAge = r.duration("maxAge", null);
        if (maxAge != null && maxAge.compareTo(Duration.ofDays(1)) < 0) {
            context.problems.add(r.get("maxAge"), r.pathOf("maxAge"), "must be at least 1d: files turn over daily");
            return null;
        }
        if (failClosed == null
                || checkpoint == null
                || maxFile == null
                || folder == null
                || key == null
                || r.has("maxAge") && maxAge == null) {
            return null;
        }
        return new AuditSpec(folder, failClosed, checkpoint, maxFile, key, java.util.Optional.ofNullable(maxAge));
    }

    /** The checkpoint signing key's file: anywhere but inside the audit folder. */
    private Path signingKey(MapReader r, Path folder) {
        String text = r.string("signingKey", false);
        Path key;
        try {
            key = baseDir.resolve(text == null ? DEFAULT_AUDIT_KEY : text).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            context.problems.add(r.get("signingKey"), r.pathOf("signingKey"), "is not a valid file path");
            return null;
        }
        if (text != null && (text.isBlank() || text.endsWith("/"))) {
            context.problems.add(r.get("signingKey"), r.pathOf("signingKey"), "must name a file, not a folder");
            return null;
        }
        if (folder != null
                && key.toAbsolutePath().startsWith(folder.toAbsolutePath().normalize())) {
            context.problems.add(
                    r.get("signingKey"),
                    r.pathOf("signingKey"),
                    "must be outside audit.dir: whoever " + "can rewrite the trail could otherwise re-sign it");
            return null;
        }
        return key;
    }

    private Boolean bool(MapReader r, String key, boolean fallback) {
        YamlNode node = r.get(key);
        if (node == null) {
            return fallback;
        }
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        context.problems.add(node, r.pathOf(key), "expected true or false, found " + node.kind());
        return null;
    }
}
