package dev.vendorgate.policy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway keeps its runtime control state (suspensions, revocations, quota usage):
 * a journal in a local folder ({@code file:state/}), or Redis for a cluster
 * ({@code redis://host:port}).
 *
 * @param dir the local journal folder (also used by a cluster node to remember the last known state)
 * @param redis the Redis URI in cluster mode
 */
public record StateSpec(Path dir, Optional<URI> redis) {

    public StateSpec {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(redis, "redis");
    }
}
