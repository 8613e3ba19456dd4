package dev.vendorgate.gateway.tripwire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Tripwires;
import dev.vendorgate.policy.Vendor;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON of {@code GET /admin/tripwires[/V]}: per vendor the baselines, this hour's figures,
 * the known networks, the active hours and each rule's state, and the last trip. Canary paths
 * are counted, never listed: a viewer's screen is no place for the decoys.
 */
public final class TripwireView {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int NETWORKS_SHOWN = 20;

    private TripwireView() {}

    static ObjectNode report(
            Policy policy,
            String only,
            Function<String, VendorBaseline> baselines,
            Instant now,
            Function<String, Trip> lastTrip) {
        ObjectNode out = JSON.createObjectNode();
        Tripwires tripwires = policy.tripwires();
        out.put("canaryAction", tripwires.canaryAction().word())
                .put("canaryResponse", tripwires.canaryResponse().word())
                .put("webhook", tripwires.webhook().isPresent());
        ArrayNode list = out.putArray("vendors");
        for (Vendor vendor : policy.vendors()) {
            if (only != null && !only.equals(vendor.id())) {
                continue;
            }
            VendorBaseline b = baselines.apply(vendor.id());
            ObjectNode v = list.addObject();
            v.put("vendor", vendor.id());
            v.put("canaries", tripwires.canaries().size() + vendor.canaries().size());
            v.put(
                    "firstSeen",
                    b.firstSeen < 0 ? null : Instant.ofEpochSecond(b.firstSeen).toString());
            v.put("historyHours", b.historyHours());
            VendorBaseline.Hour current = b.current();
            v.putObject("thisHour")
                    .put("bytesOut", current.bytesOut())
                    .put("requests", current.requests())
                    .put("objects", current.objects());
            v.putObject("baseline")
                    .put("bytesOut", b.baseline(Tripwires.Kind.BYTES_OUT))
                    .put("requests", b.baseline(Tripwires.Kind.REQUESTS))
                    .put("objects", b.baseline(Tripwires.Kind.OBJECTS));
            ArrayNode hours = v.putArray("activeHoursUtc");
            for (int count : b.activeHoursOfDay()) {
                hours.add(count);
            }
            ArrayNode networks = v.putArray("networks");
            b.networks().entrySet().stream()
                    .sorted(Map.Entry.<Long, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(NETWORKS_SHOWN)
                    .forEach(e -> networks.addObject()
                            .put("network", Networks.describe(e.getKey()))
                            .put("lastSeen", Instant.ofEpochSecond(e.getValue()).toString()));
            v.put("networksKnown", b.networks().size());
            ArrayNode rules = v.putArray("rules");
            List<RuleChecks.State> states = RuleChecks.states(tripwires.rules(), b, now);
            for (RuleChecks.State s : states) {
                ObjectNode r = rules.addObject()
                        .put("rule", s.rule())
                        .put("kind", s.kind())
                        .put("action", s.action())
                        .put("state", s.state());
                ObjectNode figures = r.putObject("figures");
                s.figures().forEach(figures::put);
            }
            Trip trip = lastTrip.apply(vendor.id());
            if (trip != null) {
                v.set("lastTrip", trip(trip));
            }
        }
        return out;
    }

    /** A trip as JSON (also for {@code ctl vendors} and {@code ctl status}). */
    public static ObjectNode trip(Trip trip) {
        ObjectNode t = JSON.createObjectNode();
        t.put("rule", trip.rule())
                .put("kind", trip.kind())
                .put("action", trip.action().word())
                .put("at", trip.at().toString())
                .put("reason", trip.reason())
                .put("outcome", trip.outcome());
        return t;
    }
}
