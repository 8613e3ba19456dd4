package dev.vendorgate.gateway.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control state of a fleet, on Redis, with a local journal under it. Every change is made
 * durable in the local journal first, then appended to a Redis stream (the fleet's history) and
 * published; every node applies what others publish as it arrives, and re-reads the stream when
 * it (re)connects and every few seconds, so a node that missed a message catches up. Nodes
 * announce themselves with heartbeats and acknowledge each suspension once they have applied it.
 *
 * <p>Redis down: the node keeps enforcing everything it knows (the local journal is loaded at
 * start, so it can even start without Redis); new changes apply locally at once and reach Redis
 * when it is back. Redis restarted empty: the nodes append what their journals hold, so nothing
 * anyone suspended is lost. Quota usage stays per node (see docs/deployment.md).
 */
public final class RedisControlStore implements ControlStore {

    private static final Logger LOG = Logger.getLogger(RedisControlStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A node's heartbeat lives this many heartbeat periods: one missed beat does not drop it from the fleet. */
    private static final int HEARTBEAT_LIVES = 3;
    /** How long the record of which nodes applied a change is kept for the fleet view. */
    private static final long ACKS_KEPT_SECONDS = 86_400;
    /** Stands for the other nodes in a report while Redis cannot be reached. */
    static final String UNREACHABLE = "(other nodes: Redis unreachable)";

    private final FileControlStore local;
    private final RedisClient client;
    private final String prefix;
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private final Duration ackTimeout;
    private final Clock clock;
    private final Duration heartbeat;
    private final Duration resync;
    private final ScheduledExecutorService worker;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, PendingAcks> pending = new ConcurrentHashMap<>();
    private final String target;
    private final ClientResources resources;
    private final Duration failClosedAfter;
    private volatile long lastContactNanos = System.nanoTime();
    private volatile int fleetSize = 1; // nodes with a live heartbeat when last counted, this one included
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile Consumer<ControlChange> listener = change -> {};
    private volatile boolean closed;

    private RedisControlStore(
            FileControlStore local, URI uri, Clock clock, Duration ackTimeout, Duration heartbeat, Duration resync) {
        this.local = local;
        this.clock = clock;
        this.ackTimeout = ackTimeout;
        this.heartbeat = heartbeat;
        this.resync = resync;
        RedisTarget redisTarget = RedisTarget.of(uri);
        this.prefix = redisTarget.prefix();
        this.target = redisTarget.description();
        this.failClosedAfter = redisTarget.failClosedAfter();
        // reconnect every heartbeat (a second), not with the default backoff of up to 30 s: a fleet should converge
        // fast
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.constant(heartbeat))
                .build();
        this.client = RedisClient.create(resources, redisTarget.uri());
        // while disconnected, commands fail at once rather than queue: the journal is the fallback
        this.client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vendorgate-redis");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the local journal in {@code dir}. Redis is contacted once the gateway registers
     * {@link #onRemoteChange} (after it loaded the journal), in the background: a Redis that is
     * down does not keep the gateway from starting on what its journal knows.
     */
    public static RedisControlStore open(
            URI uri, Path dir, Clock clock, Duration ackTimeout, Duration heartbeat, Duration resync)
            throws IOException {
        try {
            RedisTarget.of(uri); // a bad URI is reported before the journal is locked
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new RedisControlStore(FileControlStore.open(dir, clock), uri, clock, ackTimeout, heartbeat, resync);
    }

    /** This node's name in heartbeats and acknowledgements. */
    @Override
    public String node() {
        return node;
    }

    @Override
    public ControlState load() throws IOException {
        ControlState state = local.load();
        for (ControlChange change : state.asChanges(clock.instant())) {
            known.add(ControlCodec.encode(change));
        }
        return state;
    }

    @Override
    public void onRemoteChange(Consumer<ControlChange> applier) {
        this.listener = applier;
        worker.execute(this::connectIfNeeded);
        long beat = heartbeat.toMillis();
        worker.scheduleWithFixedDelay(this::tick, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** The fleet's tripwire baselines, in the same Redis (see {@link RedisTripwires}). */
    public RedisTripwires tripwires() {
        return new RedisTripwires(() -> connection, prefix);
    }

    @Override
    public CompletableFuture<Void> persist(ControlChange change) {
        CompletableFuture<Void> durable = local.persist(change);
        if (change instanceof ControlChange.Usage) {
            return durable; // quota counters stay per node
        }
        String encoded = ControlCodec.encode(change);
        known.add(encoded);
        return durable.thenCompose(done -> {
            StatefulRedisConnection<String, String> redis = connection;
            if (redis == null || !redis.isOpen()) {
                LOG.warning(() -> "Redis is unreachable: the change applies on this node now and reaches the "
                        + "fleet when Redis is back");
                return CompletableFuture.completedFuture(null);
            }
            PendingAcks acks = new PendingAcks();
            pending.put(id(encoded), acks);
            return redis.async()
                    .keys(prefix + "node:*")
                    .toCompletableFuture()
                    .thenCompose(nodes -> {
                        for (String key : nodes) {
                            String name = key.substring((prefix + "node:").length());
                            if (!name.equals(node)) {
                                acks.expected.add(name);
                            }
                        }
                        return redis.async()
                                .xadd(prefix + "changes", Map.of("node", node, "change", encoded))
                                .toCompletableFuture();
                    })
                    .thenCompose(entry -> {
                        acknowledge(redis, encoded); // for the fleet view only: never holds up the publish
                        return redis.async()
                                .publish(prefix + "events", envelope(encoded))
                                .toCompletableFuture();
                    })
                    .<Void>thenApply(receivers -> null)
                    .exceptionally(e -> {
                        LOG.warning(() -> "could not publish a change to Redis (it applies here and is sent again on "
                                + "resync): " + e.getMessage());
                        return null;
                    });
        });
    }

    @Override
    public CompletableFuture<Fleet> acknowledgements(ControlChange change) {
        PendingAcks acks = pending.get(id(ControlCodec.encode(change)));
        if (acks == null) {
            // not published (Redis unreachable): no other node can have it yet; resync sends it later
            return CompletableFuture.completedFuture(new Fleet(List.of(node), List.of(UNREACHABLE)));
        }
        worker.schedule(() -> acks.done.complete(null), ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        acks.checkDone();
        return acks.done.thenApply(v -> {
            pending.remove(id(ControlCodec.encode(change)));
            List<String> acknowledged = new ArrayList<>();
            acknowledged.add(node);
            List<String> missing = new ArrayList<>();
            for (String name : acks.expected) {
                (acks.received.contains(name) ? acknowledged : missing).add(name);
            }
            return new Fleet(acknowledged, missing);
        });
    }

    /** The fleet's byte quotas, counted in the same Redis (see {@link RedisQuotaLeaser}). */
    @Override
    public java.util.Optional<QuotaLeaser> quotas() {
        return java.util.Optional.of(new RedisQuotaLeaser(() -> connection, prefix, () -> fleetSize));
    }

    @Override
    public void applied(ControlChange change) {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null && redis.isOpen()) {
            redis.async().publish(prefix + "acks", id(ControlCodec.encode(change)) + " " + node);
            acknowledge(redis, ControlCodec.encode(change));
        }
    }

    /** Records, for the fleet view, that this node applied a change (kept a day, like the view needs). */
    private void acknowledge(StatefulRedisConnection<String, String> redis, String encoded) {
        String key = prefix + "acks:" + id(encoded);
        redis.async().hset(key, node, clock.instant().toString());
        redis.async().expire(key, ACKS_KEPT_SECONDS);
    }

    /** The nodes with a live heartbeat and the last changes of the fleet's stream, with their acknowledgements. */
    @Override
    public CompletableFuture<FleetStatus> fleet(int changes, java.time.Instant now) {
        return RedisFleet.read(connection, prefix, node, changes);
    }

    @Override
    public void auditHead(String auditNode, String head) {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null && redis.isOpen()) {
            redis.async().hset(prefix + "audit-heads", auditNode, head + " " + clock.instant());
        }
    }

    @Override
    public boolean refusesTraffic() {
        return failClosedAfter != null && System.nanoTime() - lastContactNanos > failClosedAfter.toNanos();
    }

    @Override
    public boolean healthy() {
        return local.healthy(); // a node enforces its last known state while Redis is away
    }

    @Override
    public String describe() {
        StatefulRedisConnection<String, String> redis = connection;
        return target
                + (redis != null && redis.isOpen()
                        ? ""
                        : " (unreachable: enforcing the local journal " + local.describe() + ")");
    }

    /** Whether Redis is reachable now. */
    public boolean connected() {
        StatefulRedisConnection<String, String> redis = connection;
        return redis != null && redis.isOpen();
    }

    private void tick() {
        if (closed) {
            return;
        }
        connectIfNeeded();
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null && redis.isOpen()) {
            // the value is the time of the beat, for the fleet view
            redis.async()
                    .set(
                            prefix + "node:" + node,
                            clock.instant().toString(),
                            SetArgs.Builder.px(heartbeat.toMillis() * HEARTBEAT_LIVES))
                    .thenRun(() -> lastContactNanos = System.nanoTime());
            redis.async().keys(prefix + "node:*").thenAccept(nodes -> fleetSize = Math.max(1, nodes.size()));
        }
    }

    private long lastResync;

    private void connectIfNeeded() {
        if (closed) {
            return;
        }
        try {
            if (connection == null) {
                connection = client.connect();
                StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
                subscriber.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        worker.execute(() -> onMessage(channel, message));
                    }
                });
                subscriber.sync().subscribe(prefix + "events", prefix + "acks");
                pubsub = subscriber;
                LOG.info(() -> "control state: connected to " + target + " as node " + node);
                lastResync = 0;
            }
            if (connection.isOpen() && System.nanoTime() - lastResync > resync.toNanos()) {
                resync();
                lastResync = System.nanoTime();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Redis is unreachable", e);
        }
    }

    /**
     * Reads the fleet's history and applies what this node has not seen, then appends what only
     * this node knows (changes made while Redis was away, or a Redis restarted empty).
     */
    private void resync() {
        List<StreamMessage<String, String>> history =
                connection.sync().xrange(prefix + "changes", Range.create("-", "+"));
        Set<String> inRedis = new LinkedHashSet<>();
        for (StreamMessage<String, String> entry : history) {
            String encoded = entry.getBody().get("change");
            if (encoded == null) {
                continue;
            }
            inRedis.add(encoded);
            if (!node.equals(entry.getBody().get("node"))) {
                applyRemote(encoded);
            }
        }
        List<String> missing = new ArrayList<>();
        try {
            for (ControlChange change : local.load().asChanges(clock.instant())) {
                if (change instanceof ControlChange.Usage) {
                    continue;
                }
                String encoded = ControlCodec.encode(change);
                if (!inRedis.contains(encoded)) {
                    missing.add(encoded);
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the local journal to re-seed Redis: " + e.getMessage());
        }
        for (String encoded : missing) {
            connection.sync().xadd(prefix + "changes", Map.of("node", node, "change", encoded));
            connection.sync().publish(prefix + "events", envelope(encoded));
        }
        if (!missing.isEmpty()) {
            LOG.warning(() -> "control state: Redis lacked " + missing.size() + " changes this node knows; sent them");
        }
    }

    private void onMessage(String channel, String message) {
        try {
            if (channel.equals(prefix + "acks")) {
                String[] parts = message.split(" ", 2);
                PendingAcks acks = pending.get(parts[0]);
                if (acks != null && parts.length == 2) {
                    acks.received.add(parts[1]);
                    acks.checkDone();
                }
                return;
            }
            JsonNode envelope = JSON.readTree(message);
            if (!node.equals(envelope.path("node").asText())) {
                applyRemote(envelope.path("change").asText());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "ignoring a control message that cannot be read: " + e.getMessage());
        }
    }

    /** Makes a change from elsewhere durable here, then hands it to the gateway, once. */
    private void applyRemote(String encoded) {
        if (!known.add(encoded)) {
            return;
        }
        try {
            ControlChange change = ControlCodec.decode(encoded);
            local.persist(change).join();
            listener.accept(change);
        } catch (IOException | RuntimeException e) {
            known.remove(encoded);
            LOG.warning(() -> "cannot apply a change from the fleet: " + e.getMessage());
        }
    }

    private String envelope(String encoded) {
        return JSON.createObjectNode().put("node", node).put("change", encoded).toString();
    }

    static String id(String encoded) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(encoded.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        StatefulRedisConnection<String, String> redis = connection;
        try {
            if (redis != null && redis.isOpen()) {
                redis.sync().del(prefix + "node:" + node);
            }
        } catch (RuntimeException e) { // leaving anyway; the heartbeat expires
        }
        if (pubsub != null) {
            pubsub.close();
        }
        if (redis != null) {
            redis.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
        local.close();
    }

    /** The nodes a change is waiting to hear from. */
    private static final class PendingAcks {
        final Set<String> expected = ConcurrentHashMap.newKeySet();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        void checkDone() {
            if (received.containsAll(expected)) {
                done.complete(null);
            }
        }
    }
}
