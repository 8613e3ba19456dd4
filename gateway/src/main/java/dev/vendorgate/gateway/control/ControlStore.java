package dev.vendorgate.gateway.control;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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

    /** Which nodes of a fleet have applied a change: this one first, then the others that answered in time. */
    record Fleet(List<String> acknowledged, List<String> missing) {
        public Fleet {
            acknowledged = List.copyOf(acknowledged);
            missing = List.copyOf(missing);
        }
    }

    /**
     * Registers what to do with changes made on other nodes (a shared store): each is already
     * durable here when it is handed over, and the gateway calls {@link #applied} once it took
     * effect. A store of one node never calls it.
     */
    default void onRemoteChange(Consumer<ControlChange> applier) {}

    /** Tells the other nodes that this node applied {@code change} (a shared store). */
    default void applied(ControlChange change) {}

    /**
     * After {@code change} was persisted and applied here: which other nodes have applied it too,
     * waiting a short while for them. A store of one node answers at once, with no other node.
     */
    default CompletableFuture<Fleet> acknowledgements(ControlChange change) {
        return CompletableFuture.completedFuture(new Fleet(List.of(), List.of()));
    }

    /**
     * Whether vendor traffic must be refused because the shared state has been out of reach for
     * longer than the operator allows (cluster mode, fail-closed); never for the local journal.
     */
    default boolean refusesTraffic() {
        return false;
    }

    /**
     * Records this node's latest signed audit checkpoint ({@code seq:hash}) where other nodes and
     * operators can see it (a shared store), so that a trail rewritten later on this host
     * disagrees with what the fleet saw. Never waits; a store of one node keeps nothing.
     */
    default void auditHead(String node, String head) {}

    /** This node's name in heartbeats, acknowledgements and the fleet view. */
    default String node() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    }

    /**
     * The fleet's nodes with their last heartbeat and the last {@code changes} control changes
     * with the nodes that acknowledged them, read off the event loops. A store of one node knows
     * only itself: this node, alive {@code now}, and no fleet record of changes.
     */
    default CompletableFuture<FleetStatus> fleet(int changes, java.time.Instant now) {
        return CompletableFuture.completedFuture(
                new FleetStatus(false, true, node(), List.of(new FleetStatus.Node(node(), now)), List.of()));
    }

    /**
     * Byte quotas counted across the fleet this store is shared by, or empty when quotas are
     * this node's alone (the embedded journal).
     */
    default java.util.Optional<QuotaLeaser> quotas() {
        return java.util.Optional.empty();
    }

    /** Whether the store can take changes now (readiness). */
    boolean healthy();

    /** Where the state lives, for logs and the status endpoint. */
    String describe();

    @Override
    void close();
}
