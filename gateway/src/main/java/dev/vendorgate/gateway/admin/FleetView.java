package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.control.FleetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fleet as the admin API shows it ({@code GET /admin/fleet}): the nodes with their last
 * heartbeat, and the last control changes with the nodes that acknowledged each and the live
 * nodes that have not. One node on its own journal shows itself.
 */
final class FleetView {

    /** How many of the last changes the view lists. */
    static final int CHANGES = 10;
    /** A Redis that does not answer in this time is reported unreachable rather than waited for. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    private FleetView() {}

    static CompletableFuture<ObjectNode> of(ControlStore store, Instant now) {
        FleetStatus unreachable = new FleetStatus(true, false, store.node(), List.of(), List.of());
        return store.fleet(CHANGES, now)
                .completeOnTimeout(unreachable, ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> unreachable)
                .thenApply(fleet -> json(fleet, store.describe(), now));
    }

    static ObjectNode json(FleetStatus fleet, String store, Instant now) {
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("mode", fleet.shared() ? "cluster" : "single")
                .put("store", store)
                .put("reachable", fleet.reachable())
                .put("self", fleet.self())
                .put("at", now.toString());
        ArrayNode nodes = out.putArray("nodes");
        Set<String> live = new TreeSet<>();
        for (FleetStatus.Node node : fleet.nodes()) {
            live.add(node.name());
            ObjectNode n = nodes.addObject()
                    .put("node", node.name())
                    .put("self", node.name().equals(fleet.self()))
                    .put(
                            "lastHeartbeat",
                            node.lastHeartbeat() == null
                                    ? null
                                    : node.lastHeartbeat().toString());
            if (node.lastHeartbeat() == null) {
                n.putNull("secondsAgo");
            } else {
                n.put(
                        "secondsAgo",
                        Math.max(0, Duration.between(node.lastHeartbeat(), now).toSeconds()));
            }
        }
        ArrayNode changes = out.putArray("changes");
        for (FleetStatus.Change change : fleet.changes()) {
            ObjectNode c = changes.addObject()
                    .put("id", change.id())
                    .put("kind", change.kind())
                    .put("subject", change.subject())
                    .put("operator", change.operator())
                    .put("at", change.at().toString())
                    .put("origin", change.origin());
            ArrayNode acknowledged = c.putArray("acknowledged");
            for (Map.Entry<String, Instant> ack : change.acknowledged().entrySet()) {
                acknowledged
                        .addObject()
                        .put("node", ack.getKey())
                        .put(
                                "at",
                                ack.getValue() == null ? null : ack.getValue().toString());
            }
            ArrayNode missing = c.putArray("missing");
            live.stream().filter(n -> !change.acknowledged().containsKey(n)).forEach(missing::add);
        }
        return out;
    }
}
