package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.gateway.control.RedisTripwires;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Makes the baselines fleet-wide on Redis: once a second, on the tripwire thread, every vendor's
 * counts since the last call go to Redis in one script per vendor (all sent before any answer is
 * awaited), and the answers bring the fleet's figures for the hour (bytes, requests, distinct
 * objects), when the fleet first saw the vendor, and when the fleet last saw each network this node
 * has just seen for itself, so that a network another node knows does not trip here. The fleet's
 * history of past hours is read once an hour. Waits are bounded: a slow Redis makes the figures late,
 * never the requests.
 */
final class FleetBaselines {

    private static final Logger LOG = Logger.getLogger(FleetBaselines.class.getName());
    /** How long a second's round of calls may wait for Redis in all. */
    static final long WAIT_MILLIS = 500;
    /** How long a new network's judgement may wait for an unreachable Redis before this node judges alone. */
    static final long DEFER_SECONDS = 30;
    /** How long a claimed trip stays claimed: past the hour it belongs to. */
    static final long CLAIM_SECONDS = 2 * 3600;

    private final RedisTripwires redis;
    private volatile boolean reachable = true;

    FleetBaselines(RedisTripwires redis) {
        this.redis = redis;
    }

    private record Call(
            VendorBaseline baseline,
            VendorBaseline.Outgoing out,
            List<VendorBaseline.Sighting> asked,
            CompletableFuture<RedisTripwires.Totals> answer) {}

    /**
     * Exchanges every vendor's counts with the fleet and drains their sightings: the result holds,
     * per vendor, the sightings to judge now, their previous sighting the later of this node's and
     * the fleet's. Sightings Redis could not answer for wait for a later round, up to {@link #DEFER_SECONDS}.
     */
    Map<VendorBaseline, List<VendorBaseline.Sighting>> exchange(Collection<VendorBaseline> vendors, long nowSeconds) {
        List<Call> calls = new ArrayList<>();
        for (VendorBaseline b : vendors) {
            b.shared = true;
            List<VendorBaseline.Sighting> asked = b.drainSightings();
            VendorBaseline.Outgoing out = b.outgoing();
            List<String> askedNetworks = new ArrayList<>();
            asked.forEach(s -> askedNetworks.add(Networks.describe(s.network())));
            Map<String, Long> seen = new HashMap<>();
            out.networks().forEach((network, last) -> seen.put(Networks.describe(network), last));
            CompletableFuture<RedisTripwires.Totals> answer;
            try {
                answer = redis.add(
                        b.vendor,
                        new RedisTripwires.Counts(
                                out.hour(),
                                out.bytesOut(),
                                out.requests(),
                                out.objects(),
                                b.firstSeen,
                                seen,
                                askedNetworks,
                                nowSeconds));
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            calls.add(new Call(b, out, asked, answer));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        Map<VendorBaseline, List<VendorBaseline.Sighting>> judged = new IdentityHashMap<>();
        List<VendorBaseline> historyDue = new ArrayList<>();
        boolean allAnswered = true;
        for (Call call : calls) {
            VendorBaseline b = call.baseline();
            RedisTripwires.Totals totals = await(call.answer(), deadline);
            List<VendorBaseline.Sighting> now = new ArrayList<>();
            if (totals == null) {
                allAnswered = false;
                b.outgoingFailed(call.out());
                List<VendorBaseline.Sighting> later = new ArrayList<>();
                for (VendorBaseline.Sighting s : call.asked()) {
                    (nowSeconds - s.seenAt() < DEFER_SECONDS ? later : now).add(s);
                }
                b.requeue(later);
            } else {
                b.fleet(
                        call.out(),
                        totals.bytesOut(),
                        totals.requests(),
                        totals.objects(),
                        totals.firstSeen(),
                        nowSeconds);
                for (VendorBaseline.Sighting s : call.asked()) {
                    now.add(s.withPrevious(totals.lastSeen().getOrDefault(Networks.describe(s.network()), -1L)));
                }
                if (b.fleetHistoryHour != b.hour) {
                    historyDue.add(b);
                }
            }
            judged.put(b, now);
        }
        if (allAnswered != reachable) {
            reachable = allAnswered;
            boolean back = allAnswered;
            LOG.warning(() -> back
                    ? "tripwire baselines: the fleet's figures are back"
                    : "tripwire baselines: Redis does not answer; figures are this node's until it does");
        }
        readHistory(historyDue);
        return judged;
    }

    /**
     * Whether this node acts on a trip the fleet may find on several nodes at once ({@code what}
     * names the rule and its hour or network): the first node to claim it does. When Redis does not
     * answer in time, this node acts: a trip reported twice is better than one not reported.
     */
    boolean claim(String vendor, String what, String node) {
        try {
            Boolean won = await(
                    redis.claim(vendor, what, node, CLAIM_SECONDS),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS));
            return won == null || won;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void readHistory(List<VendorBaseline> due) {
        if (due.isEmpty()) {
            return;
        }
        Map<VendorBaseline, CompletableFuture<Map<Long, RedisTripwires.Hour>>> reads = new IdentityHashMap<>();
        for (VendorBaseline b : due) {
            try {
                reads.put(b, redis.history(b.vendor));
            } catch (RuntimeException e) {
                return;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        reads.forEach((b, read) -> {
            long hour = b.hour;
            Map<Long, RedisTripwires.Hour> hours = await(read, deadline);
            if (hours != null) {
                Map<Long, VendorBaseline.Hour> figures = new HashMap<>();
                hours.forEach(
                        (h, f) -> figures.put(h, new VendorBaseline.Hour(f.bytesOut(), f.requests(), f.objects())));
                b.fleetHistory(figures, hour);
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos) {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
