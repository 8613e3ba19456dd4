package dev.vendorgate.gateway.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the audit trail is written.
 *
 * @param dir the audit folder
 * @param failClosed refuse vendor requests (503) when the trail cannot keep up or the disk fails,
 *     rather than serve them unaudited
 * @param queueCapacity records waiting to be written, at most
 * @param checkpointInterval how often the chain head is signed and the file fsync'd
 * @param maxFileBytes a file is closed and a new one started beyond this size
 * @param signingKey the checkpoint signing key's private file (outside {@code dir})
 */
public record AuditSettings(
        Path dir,
        boolean failClosed,
        int queueCapacity,
        Duration checkpointInterval,
        long maxFileBytes,
        Path signingKey) {

    public AuditSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(signingKey, "signingKey");
        if (queueCapacity < 16) {
            throw new IllegalArgumentException("queueCapacity must be at least 16");
        }
    }

    public static AuditSettings defaults(Path dir) {
        return new AuditSettings(
                dir,
                true,
                65_536,
                Duration.ofSeconds(5),
                256L * 1024 * 1024,
                dir.resolveSibling(dir.getFileName() + "-key").resolve(AuditSigner.PRIVATE_FILE));
    }
}
