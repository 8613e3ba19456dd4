package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.policy.Limits;
import java.time.Instant;

/** A vendor's {@code usage} in the admin API: what it uses now of each limit in force. */
final class UsageView {

    private UsageView() {}

    /** Current usage against each limit; a limit that is not set is {@code null} ("no limit"), never 0. */
    static ObjectNode of(VendorLimiter limiter, int connections, Instant now) {
        Limits limits = limiter.limits(); // in force: reduced on probation
        ObjectNode out = RequestBody.JSON.createObjectNode();
        ObjectNode rate = out.putObject("rate");
        limit(rate, "requestsPerSecond", limits.requestsPerSecond());
        limit(rate, "burst", limits.burst());
        limit(rate, "perClientRequestsPerSecond", limits.clientRequestsPerSecond());
        limit(rate, "perClientBurst", limits.clientBurst());
        limit(out.putObject("inFlight").put("used", limiter.inFlight()), "limit", limits.maxConcurrent());
        limit(out.putObject("connections").put("used", connections), "limit", limits.maxConnections());
        String resets = limiter.quotaResetsAt(now).toString();
        limit(out.putObject("bytesOut").put("used", limiter.bytesOut(now)), "limit", limits.bytesOutPerDay())
                .put("resetsAt", resets);
        limit(out.putObject("bytesIn").put("used", limiter.bytesIn(now)), "limit", limits.bytesInPerDay())
                .put("resetsAt", resets);
        return out;
    }

    /** Puts a limit, or null when it is not set (the policy's 0). */
    private static ObjectNode limit(ObjectNode node, String field, long value) {
        return value > 0 ? node.put(field, value) : node.putNull(field);
    }

    /** Puts a rate, or null when it is not set (the policy's 0). */
    private static ObjectNode limit(ObjectNode node, String field, double value) {
        return value > 0 ? node.put(field, value) : node.putNull(field);
    }
}
