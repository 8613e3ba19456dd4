package dev.vendorgate.gateway.control;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where runtime control state lives: vendor suspensions, token revocations and quota usage.
 * Narrow on purpose: an embedded journal by default, a shared store for a cluster.
 */
public interface ControlStore extends AutoCloseable {

    /** Reads the persisted state; called once at start. */
    ControlState load() throws IOException;

    /**
     * Persists a change. The future completes only once the change is durable (on disk, or
     * acknowledged by the shared store); it completes exceptionally if it could not be made so.
     */
    CompletableFuture<Void> persist(ControlChange change);

    /** Whether the store can take changes now (readiness). */
    boolean healthy();

    /** Where the state lives, for logs and the status endpoint. */
    String describe();

    @Override
    void close();
}
