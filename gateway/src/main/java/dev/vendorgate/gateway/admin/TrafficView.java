package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.http.ProblemType;
import dev.vendorgate.gateway.metrics.TrafficHistory;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A vendor's recent traffic as the admin API shows it: the figures now, and a series for a window. */
final class TrafficView {

    private TrafficView() {}

    /** Requests per second now and when the vendor was last seen, for the vendors table. */
    static ObjectNode now(TrafficHistory traffic, String vendor) {
        Instant lastSeen = traffic.lastSeen(vendor);
        return RequestBody.JSON
                .createObjectNode()
                .put("requestsPerSecond", Math.round(traffic.requestsPerSecond(vendor) * 100) / 100.0)
                .put("rateSeconds", TrafficHistory.RATE_SECONDS)
                .put("lastSeen", lastSeen == null ? null : lastSeen.toString());
    }

    /** The series of {@code window} ("hour" or "day"): one point per slot, oldest first. */
    static ObjectNode series(TrafficHistory traffic, String vendor, Map<String, List<String>> query) {
        List<String> words = query.get("window");
        String word = words == null || words.isEmpty() ? "hour" : words.get(0);
        TrafficHistory.Window window = switch (word.toLowerCase(Locale.ROOT)) {
            case "hour" -> TrafficHistory.Window.HOUR;
            case "day" -> TrafficHistory.Window.DAY;
            default -> throw new AdminException(ProblemType.BAD_REQUEST, "'window' must be hour or day.");
        };
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("vendor", vendor).put("window", word.toLowerCase(Locale.ROOT)).put("slotSeconds", window.slotSeconds());
        ArrayNode points = out.putArray("points");
        for (TrafficHistory.Point p : traffic.series(vendor, window)) {
            ObjectNode point = points.addObject()
                    .put("start", p.start().toString())
                    .put("requests", p.requests())
                    .put("bytesIn", p.bytesIn())
                    .put("bytesOut", p.bytesOut());
            ObjectNode refusals = point.putObject("refusals");
            p.refusals().forEach(refusals::put);
        }
        return out;
    }
}
