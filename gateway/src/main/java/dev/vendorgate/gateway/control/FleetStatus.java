package dev.vendorgate.gateway.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fleet as the control store sees it: the nodes that announce themselves, with their last
 * heartbeat, and the last control changes with the nodes that acknowledged each (applied it).
 *
 * @param shared whether the state is shared by a fleet (Redis); false for one node's own journal
 * @param reachable whether the shared store answered (always true for a journal)
 * @param self this node's name
 */
public record FleetStatus(boolean shared, boolean reachable, String self, List<Node> nodes, List<Change> changes) {

    public FleetStatus {
        Objects.requireNonNull(self, "self");
        nodes = List.copyOf(nodes);
        changes = List.copyOf(changes);
    }

    /** A node of the fleet; {@code lastHeartbeat} is null when its heartbeat carries no time. */
    public record Node(String name, Instant lastHeartbeat) {}

    /**
     * A control change as the fleet recorded it.
     *
     * @param origin the node that made it
     * @param acknowledged the nodes that applied it, with when they said so (the origin included)
     */
    public record Change(
            String id,
            String origin,
            String kind,
            String subject,
            String operator,
            Instant at,
            Map<String, Instant> acknowledged) {
        public Change {
            acknowledged = Map.copyOf(acknowledged);
        }

        /** Describes {@code change}: its kind as a word, and what it is about (a vendor, a revoked subject). */
        public static Change of(String id, String origin, ControlChange change, Map<String, Instant> acknowledged) {
            String kind;
            String subject;
            String operator;
            if (change instanceof ControlChange.Suspend c) {
                kind = c.readOnly() ? "read-only" : "suspend";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.Resume c) {
                kind = "resume";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.Cutoff c) {
                kind = "cutoff";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.Enroll c) {
                kind = "enroll";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.Probation c) {
                kind = "probation";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.EndProbation c) {
                kind = "end-probation";
                subject = c.vendor();
                operator = c.operator();
            } else if (change instanceof ControlChange.Revoke c) {
                kind = "revoke-" + c.kind().word();
                subject = c.subject();
                operator = c.operator();
            } else {
                kind = "usage";
                subject = change instanceof ControlChange.Usage u ? u.vendor() : null;
                operator = null;
            }
            return new Change(id, origin, kind, subject, operator, change.at(), acknowledged);
        }
    }
}
