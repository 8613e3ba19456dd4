package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.gateway.audit.AdminRecord;
import dev.vendorgate.gateway.control.RedisControlStore;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.http.RequestIds;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.runtime.KillSwitch;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Tripwires;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches every vendor's requests for tripwires: canary paths (checked on the request, which is
 * answered only once the trip's action is done) and baseline rules (requests are counted as they
 * end, the rules evaluated once a second on this class's own thread). A trip's {@code suspend} is
 * a breach suspension through the {@link KillSwitch}, operator {@code tripwire:<rule>}; every trip
 * gets an audit record, a metric and, if the policy names one, a webhook call.
 */
public final class TripwireWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TripwireWatch.class.getName());
    static final long SAVE_EVERY_SECONDS = 5;

    /** What the request that touched a canary gets once the action is done, and whether its connection closes after. */
    public record CanaryAnswer(Tripwires.CanaryResponse response, boolean close) {}

    private final GatewayState state;
    private final KillSwitch killSwitch;
    private final BaselineStore store;
    private final Clock clock;
    private final String node;
    private final ScheduledExecutorService thread;
    private final WebhookSender webhook;
    /** The fleet's baselines on Redis; null on a single node. */
    private final FleetBaselines fleet;

    private final Map<String, VendorBaseline> vendors = new ConcurrentHashMap<>();
    private final Map<String, Trip> lastTrips = new ConcurrentHashMap<>();
    /** Vendors a trip is suspending right now: one suspension per vendor, not one per rule. */
    private final Set<String> suspending = ConcurrentHashMap.newKeySet();

    private volatile Policy indexed;
    private volatile CanaryIndex canaries = CanaryIndex.EMPTY;
    private volatile long nowSeconds;
    private volatile boolean dirty;
    private long savedAt;

    private TripwireWatch(
            GatewayState state,
            KillSwitch killSwitch,
            BaselineStore store,
            Clock clock,
            String node,
            FleetBaselines fleet) {
        this.state = state;
        this.fleet = fleet;
        this.killSwitch = killSwitch;
        this.store = store;
        this.clock = clock;
        this.node = node;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "vendorgate-tripwire");
            t.setDaemon(true);
            return t;
        });
        this.webhook = new WebhookSender(thread);
        this.nowSeconds = clock.instant().getEpochSecond();
        this.savedAt = nowSeconds;
    }

    /**
     * Restores the baselines kept in {@code stateDir} and starts the evaluation every {@code period}
     * (a second unless a test asks for less).
     *
     * @param node this gateway's name in webhook messages
     * @param store the control store: on Redis, the baselines are the fleet's (see {@link FleetBaselines})
     */
    public static TripwireWatch start(
            GatewayState state,
            KillSwitch killSwitch,
            java.nio.file.Path stateDir,
            Clock clock,
            String node,
            dev.vendorgate.gateway.control.ControlStore store,
            java.time.Duration period) {
        TripwireWatch watch = new TripwireWatch(
                state,
                killSwitch,
                new FileBaselineStore(stateDir),
                clock,
                node,
                store instanceof RedisControlStore redis ? new FleetBaselines(redis.tripwires()) : null);
        try {
            long hour = watch.nowSeconds / 3600;
            watch.store
                    .load()
                    .forEach((vendor, saved) -> watch.baseline(vendor, hour).restore(saved));
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "tripwire baselines could not be read (" + e.getMessage() + "); starting to learn anew");
        }
        long every = period.toMillis();
        watch.thread.scheduleWithFixedDelay(watch::tick, every, every, TimeUnit.MILLISECONDS);
        return watch;
    }

    private VendorBaseline baseline(String vendor, long hour) {
        VendorBaseline b = vendors.get(vendor);
        if (b != null) {
            return b;
        }
        return vendors.computeIfAbsent(vendor, v -> {
            VendorBaseline created = new VendorBaseline(v, hour);
            created.shared = fleet != null;
            return created;
        });
    }

    private CanaryIndex index() {
        Policy policy = state.snapshot().access().policy();
        if (policy != indexed) {
            canaries = CanaryIndex.of(policy);
            indexed = policy;
        }
        return canaries;
    }

    /**
     * Checks a request's canonical path against the vendor's canaries. On a hit the trip's action
     * starts at once (a suspension cuts every other connection of the vendor, not this one) and
     * the returned future completes when it is done, on no particular thread; without a hit, null.
     *
     * @param channel the request's channel (an HTTP/2 stream, or the connection)
     */
    public CompletableFuture<CanaryAnswer> canary(
            String vendor, String path, Channel channel, String requestId, SocketAddress remote) {
        if (vendor == null || path == null) {
            return null;
        }
        String hit = index().match(vendor, path);
        if (hit == null) {
            return null;
        }
        Tripwires tripwires = indexed.tripwires();
        boolean suspend = tripwires.canaryAction() == Tripwires.Action.SUSPEND;
        if (suspend) {
            // an HTTP/2 stream's parent is the connection; an HTTP/1.1 connection's parent is the listener
            state.connections()
                    .spare(
                            channel instanceof io.netty.handler.codec.http2.Http2StreamChannel
                                    ? channel.parent()
                                    : channel);
        }
        String network = Networks.describe(Networks.key(remote));
        Trip trip = new Trip(
                requestId,
                vendor,
                "canary",
                "canary",
                tripwires.canaryAction(),
                "canary " + hit + " requested as " + path + " from " + network,
                Map.of("canary", hit, "path", path, "network", network),
                clock.instant(),
                "pending");
        return act(trip).handle((done, error) -> new CanaryAnswer(tripwires.canaryResponse(), suspend));
    }

    /**
     * The request path's hook for canaries: {@link #canary} on the request's identified vendor
     * and canonical path (as admission recorded them), or null when there is nothing to wait for.
     */
    public CompletableFuture<CanaryAnswer> canary(
            dev.vendorgate.gateway.audit.AuditEntry entry, Channel channel, SocketAddress remote) {
        return canary(entry.vendor(), entry.canonicalPath(), channel, entry.requestId(), remote);
    }

    /** The request path's hook for baselines: counts a forwarded request as it ends. */
    public void ended(dev.vendorgate.gateway.proxy.ExchangeRequest request, long bytesOut) {
        requestEnded(request.vendor().id(), request.target().path(), request.remote(), bytesOut);
    }

    /** Counts a request that ended, with the bytes sent to the vendor (any thread; a few counter updates). */
    public void requestEnded(String vendor, String path, SocketAddress remote, long bytesOut) {
        long now = nowSeconds;
        baseline(vendor, now / 3600).record(path, remote, bytesOut, now);
    }

    /** Once a second: roll the hours over, evaluate the rules, save the baselines now and then. */
    void tick() {
        try {
            Instant now = clock.instant();
            long seconds = now.getEpochSecond();
            nowSeconds = seconds;
            Policy policy = state.snapshot().access().policy();
            List<Tripwires.Rule> rules = policy.tripwires().rules();
            // before the hours may roll over: the counts sent are of each vendor's b.hour
            Map<VendorBaseline, List<VendorBaseline.Sighting>> fleetJudged =
                    fleet == null ? null : fleet.exchange(vendors.values(), seconds);
            for (VendorBaseline b : vendors.values()) {
                List<VendorBaseline.Sighting> sightings =
                        fleetJudged == null ? b.drainSightings() : fleetJudged.getOrDefault(b, List.of());
                long since = b.tick(seconds / 3600, seconds);
                if (since > 0 || !sightings.isEmpty()) {
                    dirty = true;
                }
                if (rules.isEmpty()
                        || policy.vendor(b.vendor).isEmpty()
                        || state.control().suspension(b.vendor, now).isPresent()
                        || suspending.contains(b.vendor)) {
                    continue;
                }
                for (RuleChecks.Found found : RuleChecks.evaluate(rules, b, now, since, sightings)) {
                    if (found.rule().action() == Tripwires.Action.SUSPEND && suspending.contains(b.vendor)) {
                        continue; // already on its way by another rule in this same second
                    }
                    if (fleet != null
                            && !fleet.claim(
                                    b.vendor,
                                    found.rule().id() + ":"
                                            + found.figures().getOrDefault("network", Long.toString(b.hour)),
                                    node)) {
                        continue; // another node found the same on the fleet's figures and acts on it
                    }
                    act(new Trip(
                            RequestIds.next(clock),
                            b.vendor,
                            found.rule().id(),
                            found.rule().kind().word(),
                            found.rule().action(),
                            found.reason(),
                            found.figures(),
                            now,
                            "pending"));
                }
            }
            if (dirty && seconds - savedAt >= SAVE_EVERY_SECONDS) {
                save(seconds);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tripwire evaluation failed", e);
        }
    }

    private void save(long seconds) {
        Map<String, VendorBaseline.Saved> all = new HashMap<>();
        vendors.forEach((vendor, b) -> all.put(vendor, b.save()));
        try {
            store.save(all);
            dirty = false;
            savedAt = seconds;
        } catch (IOException e) {
            LOG.warning(() -> "tripwire baselines could not be saved: " + e.getMessage());
        }
    }

    /** Runs a trip's action, then records it (audit, metric, last trip) and posts it to the webhook. */
    CompletableFuture<Trip> act(Trip trip) {
        state.metrics()
                .tripwireTripped(trip.vendor(), trip.rule(), trip.action().word());
        CompletableFuture<Trip> done;
        if (trip.action() == Tripwires.Action.ALERT) {
            done = CompletableFuture.completedFuture(trip.withOutcome("alerted"));
        } else if (state.control()
                                .suspension(trip.vendor(), trip.at())
                                .filter(s -> !s.readOnly())
                                .isPresent()
                        && state.control().credentialCutoff(trip.vendor()) != null
                || !suspending.add(trip.vendor())) {
            done = CompletableFuture.completedFuture(trip.withOutcome("already-suspended"));
        } else {
            LOG.warning(() -> "tripwire " + trip.rule() + " tripped on vendor '" + trip.vendor() + "': " + trip.reason()
                    + "; suspending it");
            // a breach suspension, as ctl suspend --breach: durable, fleet-wide, connections cut, cut-off recorded
            done = CompletableFuture.supplyAsync(
                            () -> killSwitch.suspend(
                                    trip.vendor(),
                                    trip.operator(),
                                    "tripwire " + trip.rule() + ": " + trip.reason(),
                                    SuspendMode.SEVER,
                                    null,
                                    false,
                                    trip.at(),
                                    (control, at) -> {}),
                            thread)
                    .thenCompose(f -> f)
                    .handle((outcome, error) -> {
                        suspending.remove(trip.vendor());
                        if (error != null) {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            LOG.log(Level.SEVERE, "tripwire suspension of '" + trip.vendor() + "' failed", cause);
                            return trip.withOutcome("failed: " + cause.getMessage());
                        }
                        return trip.withOutcome("suspended; " + outcome.closed().connections() + " connections cut"
                                + (outcome.fleet().missing().isEmpty()
                                        ? ""
                                        : "; not acknowledged by "
                                                + outcome.fleet().missing()));
                    });
        }
        return done.thenApply(result -> {
            record(result);
            return result;
        });
    }

    private void record(Trip trip) {
        lastTrips.put(trip.vendor(), trip);
        if (state.audit() != null) {
            Map<String, String> fields = new HashMap<>();
            trip.figures().forEach((k, v) -> fields.put("tripwire." + k, v));
            fields.put("rule", trip.rule());
            fields.put("kind", trip.kind());
            fields.put("tripAction", trip.action().word());
            state.audit()
                    .admin(new AdminRecord(
                            trip.at(),
                            trip.id(),
                            trip.operator(),
                            "tripwire",
                            "tripwire",
                            trip.vendor(),
                            trip.reason(),
                            trip.outcome().startsWith("failed") ? "failed" : "ok",
                            trip.outcome(),
                            fields));
        }
        Optional<Tripwires.Webhook> hook =
                state.snapshot().access().policy().tripwires().webhook();
        hook.ifPresent(h -> webhook.send(h, WebhookSender.body(trip, node)));
    }

    /** The vendor's last trip since the gateway started, if any. */
    public Optional<Trip> lastTrip(String vendor) {
        return Optional.ofNullable(lastTrips.get(vendor));
    }

    /** The figures {@code ctl tripwires} shows; {@code vendor} null for every vendor of the policy. */
    public com.fasterxml.jackson.databind.node.ObjectNode report(String vendor) {
        Policy policy = state.snapshot().access().policy();
        Instant now = clock.instant();
        long hour = now.getEpochSecond() / 3600;
        return TripwireView.report(
                policy, vendor, v -> vendors.getOrDefault(v, new VendorBaseline(v, hour)), now, lastTrips::get);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dirty) {
            save(clock.instant().getEpochSecond());
        }
        webhook.close();
        store.close();
    }
}
