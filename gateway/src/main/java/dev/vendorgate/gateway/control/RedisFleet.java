package dev.vendorgate.gateway.control;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the fleet view from Redis: the nodes' heartbeat keys ({@code node:NAME}, whose value is
 * the time of the last beat) and the last entries of the change stream with the hash of nodes
 * that applied each ({@code acks:ID}). Never blocks: every command is asynchronous.
 */
final class RedisFleet {

    private RedisFleet() {}

    /**
     * The nodes with a live heartbeat (each with the time it last beat) and the last {@code changes}
     * changes of the fleet's stream, each with the nodes that acknowledged it.
     */
    static CompletableFuture<FleetStatus> read(
            StatefulRedisConnection<String, String> redis, String prefix, String node, int changes) {
        if (redis == null || !redis.isOpen()) {
            return CompletableFuture.completedFuture(new FleetStatus(true, false, node, List.of(), List.of()));
        }
        var async = redis.async();
        CompletableFuture<List<FleetStatus.Node>> nodes = async.keys(prefix + "node:*")
                .toCompletableFuture()
                .thenCompose(keys -> keys.isEmpty()
                        ? CompletableFuture.completedFuture(List.<KeyValue<String, String>>of())
                        : async.mget(keys.toArray(String[]::new)).toCompletableFuture())
                .thenApply(values -> {
                    List<FleetStatus.Node> out = new ArrayList<>();
                    for (KeyValue<String, String> value : values) {
                        if (!value.hasValue()) {
                            continue; // its heartbeat expired between the two calls: gone
                        }
                        out.add(new FleetStatus.Node(
                                value.getKey().substring((prefix + "node:").length()), instant(value.getValue())));
                    }
                    out.sort(java.util.Comparator.comparing(FleetStatus.Node::name));
                    return out;
                });
        CompletableFuture<List<FleetStatus.Change>> recent = async.xrevrange(
                        prefix + "changes", Range.create("-", "+"), Limit.from(changes))
                .toCompletableFuture()
                .thenCompose(entries -> {
                    List<CompletableFuture<FleetStatus.Change>> each = new ArrayList<>();
                    for (StreamMessage<String, String> entry : entries) {
                        String encoded = entry.getBody().get("change");
                        ControlChange change;
                        try {
                            change = encoded == null ? null : ControlCodec.decode(encoded);
                        } catch (IOException e) {
                            change = null;
                        }
                        if (change == null) {
                            continue;
                        }
                        ControlChange decoded = change;
                        String id = RedisControlStore.id(encoded);
                        each.add(async.hgetall(prefix + "acks:" + id)
                                .toCompletableFuture()
                                .thenApply(acks -> {
                                    Map<String, java.time.Instant> by = new java.util.TreeMap<>();
                                    acks.forEach((name, at) -> by.put(name, instant(at)));
                                    return FleetStatus.Change.of(
                                            id, entry.getBody().get("node"), decoded, by);
                                }));
                    }
                    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                            .thenApply(v ->
                                    each.stream().map(CompletableFuture::join).toList());
                });
        return nodes.thenCombine(recent, (n, c) -> new FleetStatus(true, true, node, n, c))
                .exceptionally(e -> new FleetStatus(true, false, node, List.of(), List.of()));
    }

    /** A time written by a node, or null for a value that is not one (an older node's "alive"). */
    static java.time.Instant instant(String text) {
        try {
            return text == null ? null : java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
