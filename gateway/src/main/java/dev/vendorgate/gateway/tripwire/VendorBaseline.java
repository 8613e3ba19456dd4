package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.policy.Tripwires;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one vendor normally does, and what it does this hour: bytes sent to it, requests and
 * distinct objects per hour (the last {@link #HISTORY_HOURS} hours), the source networks it came
 * from with when each was last seen, and when it was first seen. Requests are counted from any
 * thread without locks; hours roll over, and rules read the figures, on the tripwire thread only.
 * Memory is bounded whatever the vendor does.
 */
final class VendorBaseline {

    /** How much history the baselines are computed over: four weeks. */
    static final int HISTORY_HOURS = 28 * 24;

    static final int MAX_NETWORKS = 4096;
    /** A network last seen longer ago than this is handed to the rules when it shows up again. */
    static final long RESEEN_SECONDS = 3600;

    /** One hour's figures. */
    record Hour(long bytesOut, long requests, long objects) {
        long figure(Tripwires.Kind kind) {
            return switch (kind) {
                case BYTES_OUT -> bytesOut;
                case REQUESTS -> requests;
                case OBJECTS -> objects;
                case NEW_NETWORK, OUTSIDE_HOURS -> 0;
            };
        }
    }

    /**
     * A network seen at {@code seenAt} that was unknown (previous -1) or last seen at {@code previous}
     * (epoch seconds).
     */
    record Sighting(long network, long previous, long seenAt) {
        Sighting withPrevious(long fleetPrevious) {
            return fleetPrevious > previous ? new Sighting(network, fleetPrevious, seenAt) : this;
        }
    }

    /** This node's counts not yet added to the fleet's. */
    record Outgoing(
            long hour,
            long bytesOut,
            long requests,
            List<String> objects,
            Map<Long, Long> networks,
            long networksSince) {}

    /** At most this many objects wait for the fleet between two calls; beyond, they count on this node only. */
    static final int MAX_PENDING_OBJECTS = 20_000;

    final String vendor;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private volatile ObjectSketch objects = new ObjectSketch();
    private final Map<Long, Long> networks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sighting> sightings = new ConcurrentLinkedQueue<>();
    /** Set when the baselines are fleet-wide: objects are then kept for the fleet's count too. */
    volatile boolean shared;

    private final Set<String> pendingObjects = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Epoch second the vendor was first seen, or -1. Set on the tripwire thread. */
    volatile long firstSeen = -1;
    /** The hour the live counters belong to (epoch hour). */
    volatile long hour;

    private final TreeMap<Long, Hour> history = new TreeMap<>();
    private long requestsAtLastTick;
    /** This hour's counts already added to the fleet's, and the fleet's totals last heard (Redis). */
    private long flushedBytes;

    private long flushedRequests;
    private long fleetBytes;
    private long fleetRequests;
    private long fleetObjects;
    /** Networks last seen at or after this (epoch second) are not yet in the fleet's. */
    private long networksSince;
    /** The hour the fleet's history was last read in, or -1. */
    long fleetHistoryHour = -1;
    /** Per rule: the hour it last tripped in, so an hour trips a rule once. */
    final Map<String, Long> trippedHour = new ConcurrentHashMap<>();

    VendorBaseline(String vendor, long hour) {
        this.vendor = vendor;
        this.hour = hour;
    }

    /** Counts one request that ended (any thread). */
    void record(String path, SocketAddress remote, long bytesOut, long nowSeconds) {
        requests.increment();
        if (bytesOut > 0) {
            bytes.add(bytesOut);
        }
        objects.add(path.hashCode());
        if (shared && pendingCount.get() < MAX_PENDING_OBJECTS && pendingObjects.add(path)) {
            pendingCount.incrementAndGet();
        }
        long network = Networks.key(remote);
        if (network != 0) {
            Long last = networks.get(network);
            if (last == null || last < nowSeconds - 60) {
                networks.put(network, nowSeconds);
                if (last == null || last < nowSeconds - RESEEN_SECONDS) {
                    sightings.add(new Sighting(network, last == null ? -1 : last, nowSeconds));
                }
            }
        }
    }

    /** This hour so far: this node's counts, or the fleet's when they are known and larger. */
    synchronized Hour current() {
        return new Hour(
                Math.max(bytes.sum(), fleetBytes),
                Math.max(requests.sum(), fleetRequests),
                Math.max(objects.estimate(), fleetObjects));
    }

    /** What this node counted since its last call to the fleet, marked as sent (tripwire thread). */
    synchronized Outgoing outgoing() {
        long b = bytes.sum();
        long r = requests.sum();
        Outgoing out = new Outgoing(
                hour, b - flushedBytes, r - flushedRequests, drainObjects(), recentNetworks(), networksSince);
        flushedBytes = b;
        flushedRequests = r;
        return out;
    }

    private List<String> drainObjects() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = pendingObjects.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        pendingCount.addAndGet(-out.size());
        return out;
    }

    private Map<Long, Long> recentNetworks() {
        Map<Long, Long> out = new HashMap<>();
        networks.forEach((network, last) -> {
            if (last >= networksSince) {
                out.put(network, last);
            }
        });
        return out;
    }

    /** The call with {@code out} failed: its counts are sent again next time. */
    synchronized void outgoingFailed(Outgoing out) {
        if (out.hour() == hour) {
            flushedBytes -= out.bytesOut();
            flushedRequests -= out.requests();
            for (String object : out.objects()) {
                if (pendingCount.get() < MAX_PENDING_OBJECTS && pendingObjects.add(object)) {
                    pendingCount.incrementAndGet();
                }
            }
        }
    }

    /** The fleet's answer to {@code out}: this hour's totals and when it first saw the vendor. */
    synchronized void fleet(
            Outgoing out,
            long fleetBytesOut,
            long fleetRequestCount,
            long fleetObjectCount,
            long fleetFirstSeen,
            long sentAt) {
        if (out.hour() == hour) {
            fleetBytes = Math.max(fleetBytes, fleetBytesOut);
            fleetRequests = Math.max(fleetRequests, fleetRequestCount);
            fleetObjects = Math.max(fleetObjects, fleetObjectCount);
        }
        if (fleetFirstSeen >= 0 && (firstSeen < 0 || fleetFirstSeen < firstSeen)) {
            firstSeen = fleetFirstSeen;
        }
        networksSince = Math.max(networksSince, sentAt);
    }

    /** Takes the fleet's history of past hours: each figure is the larger of this node's and the fleet's. */
    synchronized void fleetHistory(Map<Long, Hour> fleetHours, long readInHour) {
        fleetHours.forEach((h, figures) -> {
            if (h < hour && h >= hour - HISTORY_HOURS && figures.requests() > 0) {
                history.merge(
                        h,
                        figures,
                        (a, b) -> new Hour(
                                Math.max(a.bytesOut(), b.bytesOut()),
                                Math.max(a.requests(), b.requests()),
                                Math.max(a.objects(), b.objects())));
            }
        });
        fleetHistoryHour = readInHour;
    }

    /** Sightings whose judgement waits for the fleet's answer go back in the queue. */
    void requeue(List<Sighting> later) {
        sightings.addAll(later);
    }

    /** Moves to {@code nowHour} if it has begun; returns how many requests came since the last call. */
    synchronized long tick(long nowHour, long nowSeconds) {
        if (nowHour != hour) {
            Hour done = current();
            if (done.requests() > 0) {
                history.merge(
                        hour,
                        done,
                        (a, b) -> new Hour(
                                a.bytesOut() + b.bytesOut(),
                                a.requests() + b.requests(),
                                Math.max(a.objects(), b.objects())));
            }
            bytes.reset();
            requests.reset();
            objects = new ObjectSketch();
            requestsAtLastTick = 0;
            flushedBytes = 0;
            flushedRequests = 0;
            fleetBytes = 0;
            fleetRequests = 0;
            fleetObjects = 0;
            hour = nowHour;
            history.headMap(nowHour - HISTORY_HOURS).clear();
        }
        long total = requests.sum();
        long since = total - requestsAtLastTick;
        requestsAtLastTick = total;
        if (since > 0 && firstSeen < 0) {
            firstSeen = nowSeconds;
        }
        if (networks.size() > MAX_NETWORKS) {
            forgetOldestNetworks();
        }
        return since;
    }

    private void forgetOldestNetworks() {
        long[] seen =
                networks.values().stream().mapToLong(Long::longValue).sorted().toArray();
        long cut = seen[seen.length - MAX_NETWORKS];
        networks.values().removeIf(last -> last < cut);
    }

    /** The networks that showed up since the last call. */
    List<Sighting> drainSightings() {
        List<Sighting> out = new ArrayList<>();
        for (Sighting s; (s = sightings.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    /**
     * The vendor's normal hourly figure for {@code kind}: the 95th percentile over the hours it
     * was active in, in the history (0 with no history).
     */
    synchronized long baseline(Tripwires.Kind kind) {
        long[] values = history.values().stream()
                .filter(h -> h.requests() > 0)
                .mapToLong(h -> h.figure(kind))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return 0;
        }
        return values[Math.min(values.length - 1, (int) Math.ceil(values.length * 0.95) - 1)];
    }

    /** Active hours of the history by hour of the day (UTC): how many hours had requests. */
    synchronized int[] activeHoursOfDay() {
        int[] out = new int[24];
        for (Map.Entry<Long, Hour> e : history.entrySet()) {
            if (e.getValue().requests() > 0) {
                out[(int) (e.getKey() % 24)]++;
            }
        }
        return out;
    }

    synchronized int historyHours() {
        return history.size();
    }

    Map<Long, Long> networks() {
        return Map.copyOf(networks);
    }

    // -- persistence -----------------------------------------------------------------------------

    /** What is saved: the history, this hour's figures and sketch, the networks. */
    record Saved(
            long firstSeen,
            long hour,
            Hour current,
            long[] sketch,
            Map<Long, Hour> history,
            Map<Long, Long> networks) {}

    synchronized Saved save() {
        return new Saved(firstSeen, hour, current(), objects.words(), new TreeMap<>(history), networks());
    }

    /** Takes what was saved (before any traffic): history, networks, and this hour if it is still this hour. */
    synchronized void restore(Saved saved) {
        if (saved.firstSeen() >= 0 && (firstSeen < 0 || saved.firstSeen() < firstSeen)) {
            firstSeen = saved.firstSeen();
        }
        history.putAll(saved.history());
        if (saved.hour() == hour) {
            bytes.add(saved.current().bytesOut());
            requests.add(saved.current().requests());
            objects = new ObjectSketch(
                    saved.sketch() == null ? new long[0] : Arrays.copyOf(saved.sketch(), saved.sketch().length));
            requestsAtLastTick = requests.sum();
            flushedBytes = bytes.sum(); // counted in the fleet's before the restart
            flushedRequests = requests.sum();
        } else if (saved.current().requests() > 0 && saved.hour() < hour) {
            history.merge(saved.hour(), saved.current(), (a, b) -> a);
        }
        history.headMap(hour - HISTORY_HOURS).clear();
        saved.networks().forEach((network, last) -> networks.merge(network, last, Math::max));
        for (Iterator<Long> it = history.keySet().iterator(); it.hasNext(); ) {
            if (it.next() >= hour) {
                it.remove(); // a saved future hour (a clock set back): not history
            }
        }
    }
}
