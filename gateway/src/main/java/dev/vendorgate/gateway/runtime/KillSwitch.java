package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlCodec;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.control.Suspension;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * Suspends and resumes vendors. A suspension is made durable first, then applied to new
 * requests, then to the connections already open (cut or drained); the returned future
 * completes only after all three, with what was closed. After it completes, no request of that
 * vendor gets a success response. A sever does not wait for the write to cut: the open
 * connections are cut while the change is written, and those opened meanwhile once it applies.
 */
public final class KillSwitch {

    private static final Logger LOG = Logger.getLogger(KillSwitch.class.getName());

    private final GatewayState state;
    private final ControlStore store;
    private final Clock clock;
    private final ConnectionCut.Cutter cutter;
    private final Executor after;

    /**
     * @param cutter how the vendor listener ends one of its connections
     * @param after runs a suspension's log line, off the event loop whose cut completed the suspension,
     *     so that the answer does not wait for it
     */
    public KillSwitch(
            GatewayState state, ControlStore store, Clock clock, ConnectionCut.Cutter cutter, Executor after) {
        this.state = state;
        this.store = store;
        this.clock = clock;
        this.cutter = cutter;
        this.after = after;
    }

    /** What a suspension did, here and (in a fleet) on the other nodes. */
    public record Outcome(Suspension suspension, ConnectionCut closed, ControlStore.Fleet fleet) {}

    /**
     * A check of the state a change is about to be made on, run in turn with every other change;
     * throws to refuse the change (the exception completes the returned future).
     */
    @FunctionalInterface
    public interface Precondition {
        void check(ControlState current, Instant now);
    }

    /** The last change in line: each change waits for the one before it, so check and write cannot interleave. */
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    /**
     * Runs {@code step} after every change asked for before it has been made durable and applied
     * (or has failed), so that a check of the state and the change it guards are one step: two
     * concurrent calls can never both pass a check that only one of them should.
     */
    private <T> CompletableFuture<T> inTurn(java.util.function.Supplier<CompletableFuture<T>> step) {
        synchronized (this) {
            CompletableFuture<T> next = tail.handle((ignored, error) -> null).thenCompose(ignored -> step.get());
            tail = next;
            return next;
        }
    }

    /**
     * Suspends {@code vendor} ({@link ControlChange#EVERY_VENDOR} for the global switch).
     *
     * @param until when it ends by itself, or null
     * @param readOnly restrict to safe methods instead (connections stay open)
     * @param precondition checked in turn with other changes, against the state the change will apply to
     */
    public CompletableFuture<Outcome> suspend(
            String vendor,
            String operator,
            String reason,
            SuspendMode mode,
            Instant until,
            boolean readOnly,
            Precondition precondition) {
        return suspend(vendor, operator, reason, mode, until, readOnly, null, precondition);
    }

    /**
     * Suspends, after a breach too: with {@code breachCutoff} (null for none) a credential
     * cut-off is made durable first, in the same turn: the vendor's certificates issued and
     * tokens minted before it are refused for good (see {@link ControlChange.Cutoff}).
     */
    public CompletableFuture<Outcome> suspend(
            String vendor,
            String operator,
            String reason,
            SuspendMode mode,
            Instant until,
            boolean readOnly,
            Instant breachCutoff,
            Precondition precondition) {
        long asked = System.nanoTime(); // durations for the log line, not times of day
        long[] durableAt = {0};
        List<CompletableFuture<ConnectionCut>> early = new ArrayList<>(1);
        CompletableFuture<ControlChange.Suspend> made = inTurn(() -> {
            if (!readOnly) {
                state.suspending(vendor, true); // before the time is taken: see GatewayState#suspending
            }
            try {
                Instant now = clock.instant();
                precondition.check(state.control(), now);
                ControlChange.Suspend change =
                        new ControlChange.Suspend(vendor, now, operator, reason, until, mode, readOnly);
                if (mode == SuspendMode.SEVER && !readOnly) {
                    // the check passed: the connections are cut while the change is written, not after. A cut is
                    // safe to make early (it only ever ends access); should the write fail, the call fails and says so
                    early.add(cutConnections(vendor, mode));
                }
                CompletableFuture<Void> cut = CompletableFuture.completedFuture(null);
                if (breachCutoff != null) {
                    ControlChange.Cutoff cutoff = new ControlChange.Cutoff(
                            vendor, breachCutoff.isAfter(now) ? now : breachCutoff, now, operator, reason);
                    cut = store.persist(cutoff).thenRun(() -> state.applyControl(cutoff));
                }
                return cut.thenCompose(done -> store.persist(change))
                        .thenApply(durable -> {
                            durableAt[0] = System.nanoTime();
                            state.applyControl(change);
                            return change;
                        })
                        .whenComplete((change2, error) -> state.suspending(vendor, false));
            } catch (RuntimeException e) {
                state.suspending(vendor, false);
                throw e;
            }
        });
        return made.thenCompose(change -> {
            // what holds now: a suspension never loosens one in force, so this may be stricter than the one asked for
            Suspension suspension = state.control().suspensions().getOrDefault(vendor, Suspension.of(change));
            // after a sever cut early, this sweep finds only the connections that were opened meanwhile
            CompletableFuture<ConnectionCut> cutting = suspension.readOnly()
                    ? CompletableFuture.completedFuture(ConnectionCut.NONE)
                    : early.isEmpty()
                            ? cutConnections(vendor, mode)
                            : early.get(0)
                                    .thenCompose(first ->
                                            cutConnections(vendor, mode).thenApply(first::plus));
            return cutting.thenCompose(cut -> store.acknowledgements(change).thenCompose(fleet -> {
                // by now a concurrent stricter suspension made on another node has reached this one: answer what holds
                Suspension holding = state.control().suspensions().getOrDefault(vendor, suspension);
                CompletableFuture<ConnectionCut> more = suspension.readOnly() && !holding.readOnly()
                        ? cutConnections(vendor, holding.mode())
                        : CompletableFuture.completedFuture(ConnectionCut.NONE);
                return more.thenApply(extra -> {
                    ConnectionCut total = cut.plus(extra);
                    long done = System.nanoTime();
                    // this runs on the event loop whose cut ended last, and the answer waits for what runs here: the
                    // line is written elsewhere (the first one formats cold, and a console can be slow to take it)
                    later(() -> LOG.warning(() ->
                            (vendor.equals(ControlChange.EVERY_VENDOR) ? "all vendors" : "vendor '" + vendor + "'")
                                    + " suspended by " + operator + " (" + mode.word() + "): " + total.connections()
                                    + " connections and " + total.streams() + " requests in flight "
                                    + (mode == SuspendMode.SEVER ? "cut" : "draining")
                                    + (fleet.missing().isEmpty() ? "" : "; not acknowledged by " + fleet.missing())
                                    + " (" + millis(done - asked) + " ms in all, durable after "
                                    + millis(durableAt[0] - asked) + " ms)"));
                    return new Outcome(holding, total, fleet);
                });
            }));
        });
    }

    private void later(Runnable task) {
        try {
            after.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: here, then
        }
    }

    private static String millis(long nanos) {
        return Long.toString(Math.max(0, nanos) / 1_000_000) + "." + (Math.max(0, nanos) / 100_000) % 10;
    }

    /** Resumes {@code vendor} ({@link ControlChange#EVERY_VENDOR} for the global switch). */
    public CompletableFuture<Void> resume(String vendor, String operator, String reason, Precondition precondition) {
        return resume(vendor, operator, reason, true, null, precondition).thenApply(probation -> null);
    }

    /**
     * Resumes {@code vendor}; after a breach suspension, on probation unless {@code full}: in the
     * same turn a {@link ControlChange.Probation} (ending at {@code probationUntil}, or by another
     * operator) is made durable with the resume.
     *
     * @return whether the vendor is on probation now
     */
    public CompletableFuture<Boolean> resume(
            String vendor,
            String operator,
            String reason,
            boolean full,
            Instant probationUntil,
            Precondition precondition) {
        return inTurn(() -> {
            Instant now = clock.instant();
            precondition.check(state.control(), now);
            boolean probation = !full
                    && !vendor.equals(ControlChange.EVERY_VENDOR)
                    && state.control().suspendedForBreach(vendor);
            ControlChange.Resume change = new ControlChange.Resume(vendor, now, operator, reason);
            CompletableFuture<Void> made = probation
                    ? store.persist(new ControlChange.Probation(vendor, now, operator, reason, probationUntil))
                    : CompletableFuture.completedFuture(null);
            return made.thenCompose(done -> store.persist(change)).thenApply(done -> {
                if (probation) {
                    state.applyControl(new ControlChange.Probation(vendor, now, operator, reason, probationUntil));
                }
                state.applyControl(change);
                LOG.warning(
                        () -> (vendor.equals(ControlChange.EVERY_VENDOR) ? "all vendors" : "vendor '" + vendor + "'")
                                + " resumed by " + operator + (probation ? ", on probation" : ""));
                return probation;
            });
        });
    }

    /** Ends a vendor's probation; durable before it applies. */
    public CompletableFuture<Void> endProbation(
            String vendor, String operator, String reason, Precondition precondition) {
        return inTurn(() -> {
            Instant now = clock.instant();
            precondition.check(state.control(), now);
            ControlChange.EndProbation change = new ControlChange.EndProbation(vendor, now, operator, reason);
            return store.persist(change).thenRun(() -> {
                state.applyControl(change);
                LOG.warning(() -> "vendor '" + vendor + "': probation ended by " + operator);
            });
        });
    }

    /** Admits one certificate of a vendor (by SHA-256) despite its credential cut-off; durable before it applies. */
    public CompletableFuture<ControlChange.Enroll> enroll(
            String vendor, String sha256, String operator, String reason, Precondition precondition) {
        return inTurn(() -> {
            Instant now = clock.instant();
            precondition.check(state.control(), now);
            ControlChange.Enroll change = new ControlChange.Enroll(vendor, sha256, now, operator, reason);
            return store.persist(change).thenApply(durable -> {
                state.applyControl(change);
                LOG.warning(() -> "certificate " + sha256 + " of vendor '" + vendor + "' enrolled by " + operator);
                return change;
            });
        });
    }

    /**
     * Revokes tokens: one by id, or every token of a client or a vendor issued until now. Durable
     * before it applies; the next request presenting such a token is refused, cached or not.
     */
    public CompletableFuture<ControlChange.Revoke> revoke(
            ControlChange.RevocationKind kind, String subject, String operator, String reason, Instant expires) {
        return inTurn(() -> {
            ControlChange.Revoke change =
                    new ControlChange.Revoke(kind, subject, clock.instant(), operator, reason, expires);
            return store.persist(change).thenApply(durable -> {
                state.applyControl(change);
                LOG.warning(() -> "tokens revoked by " + operator + ": " + kind.word() + " " + subject);
                return change;
            });
        });
    }

    /**
     * Applies a change another node made (already durable here): a suspension cuts this node's
     * connections of the vendor too. Tells the store once done, so the originating node hears it.
     */
    public void applyRemote(ControlChange change) {
        state.applyControl(change);
        CompletableFuture<?> done = change instanceof ControlChange.Suspend suspend && !suspend.readOnly()
                ? cutConnections(suspend.vendor(), suspend.mode())
                : CompletableFuture.completedFuture(null);
        done.whenComplete((result, error) -> {
            LOG.warning(() -> "applied a change from the fleet: " + ControlCodec.encode(change));
            store.applied(change);
        });
    }

    /** Cuts or drains the open connections of {@code vendor} ({@link ControlChange#EVERY_VENDOR}: all). */
    public CompletableFuture<ConnectionCut> cutConnections(String vendor, SuspendMode mode) {
        Set<Channel> channels = vendor.equals(ControlChange.EVERY_VENDOR)
                ? state.connections().all()
                : state.connections().connections(vendor);
        // one task per event loop, not one per connection: a thousand connections are a handful of tasks
        Map<EventLoop, List<Channel>> byLoop = new HashMap<>();
        for (Channel channel : channels) {
            byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>())
                    .add(channel);
        }
        List<CompletableFuture<ConnectionCut>> cuts = new ArrayList<>(byLoop.size());
        for (List<Channel> onLoop : byLoop.values()) {
            cuts.add(cutter.cut(onLoop, mode));
        }
        return CompletableFuture.allOf(cuts.toArray(CompletableFuture[]::new)).thenApply(all -> {
            ConnectionCut total = ConnectionCut.NONE;
            for (CompletableFuture<ConnectionCut> cut : cuts) {
                total = total.plus(cut.join());
            }
            return total;
        });
    }
}
