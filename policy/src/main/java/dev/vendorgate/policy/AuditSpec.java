package dev.vendorgate.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the audit trail is written.
 *
 * @param dir the audit folder
 * @param failClosed refuse vendor requests (503) rather than serve them unaudited when the trail
 *     cannot keep up or its disk fails
 * @param checkpointInterval how often the chain head is signed and the file fsync'd
 * @param maxFileBytes size at which a new audit file is started (files also turn over daily, UTC)
 * @param signingKey the private key that signs checkpoints; outside {@code dir}, so that whoever
 *     can rewrite the trail cannot also re-sign it
 * @param maxAge remove whole files older than this (leaving a signed anchor), if set
 */
public record AuditSpec(
        Path dir,
        boolean failClosed,
        Duration checkpointInterval,
        long maxFileBytes,
        Path signingKey,
        java.util.Optional<Duration> maxAge) {

    public static final Duration DEFAULT_CHECKPOINT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_FILE_BYTES = 256L * 1024 * 1024;

    public AuditSpec {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(maxAge, "maxAge");
    }
}
