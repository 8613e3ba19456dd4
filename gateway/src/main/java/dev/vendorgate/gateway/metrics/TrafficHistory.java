package dev.vendorgate.gateway.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each vendor's recent traffic in memory, for the ops console: requests, bytes each way and
 * refusals by reason in one-second slots (the rate now), one-minute slots (the last hour) and
 * fifteen-minute slots (the last day). Bounded: a fixed ring of slots per vendor, reasons from
 * the fixed code lists. Lost on restart; Prometheus keeps the long history.
 */
public final class TrafficHistory {

    /** The window a series covers. */
    public enum Window {
        HOUR(60, 60),
        DAY(96, 900);

        final int slots;
        final long slotSeconds;

        Window(int slots, long slotSeconds) {
            this.slots = slots;
            this.slotSeconds = slotSeconds;
        }

        public long slotSeconds() {
            return slotSeconds;
        }
    }

    /** The seconds over which "requests per second now" is averaged. */
    public static final int RATE_SECONDS = 10;

    /** One slot of a series: its start and what happened in it. */
    public record Point(Instant start, long requests, long bytesIn, long bytesOut, Map<String, Long> refusals) {}

    private final Clock clock;
    private final Map<String, VendorTraffic> vendors = new ConcurrentHashMap<>();

    public TrafficHistory(Clock clock) {
        this.clock = clock;
    }

    /** Records one ended request of {@code vendor} (refusal reason or null). */
    public void record(String vendor, String reason, long bytesIn, long bytesOut) {
        vendors.computeIfAbsent(vendor, v -> new VendorTraffic())
                .record(clock.instant().getEpochSecond(), reason, bytesIn, bytesOut);
    }

    /** Requests per second over the last {@link #RATE_SECONDS} whole seconds. */
    public double requestsPerSecond(String vendor) {
        VendorTraffic traffic = vendors.get(vendor);
        return traffic == null ? 0 : traffic.rate(clock.instant().getEpochSecond());
    }

    /** When the vendor's last request ended, or null if none since the gateway started. */
    public Instant lastSeen(String vendor) {
        VendorTraffic traffic = vendors.get(vendor);
        long last = traffic == null ? 0 : traffic.lastSecond();
        return last == 0 ? null : Instant.ofEpochSecond(last);
    }

    /** The series for {@code window}, oldest first, ending with the slot that holds now. */
    public List<Point> series(String vendor, Window window) {
        long now = clock.instant().getEpochSecond();
        VendorTraffic traffic = vendors.get(vendor);
        return traffic == null ? VendorTraffic.empty(window, now) : traffic.series(window, now);
    }

    /** One vendor's rings; short critical sections under its own lock, never I/O. */
    private static final class VendorTraffic {
        private final Ring seconds = new Ring(RATE_SECONDS + 1, 1);
        private final Ring hour = new Ring(Window.HOUR.slots, Window.HOUR.slotSeconds);
        private final Ring day = new Ring(Window.DAY.slots, Window.DAY.slotSeconds);
        private long lastSecond;

        synchronized void record(long second, String reason, long bytesIn, long bytesOut) {
            seconds.add(second, reason, bytesIn, bytesOut);
            hour.add(second, reason, bytesIn, bytesOut);
            day.add(second, reason, bytesIn, bytesOut);
            lastSecond = Math.max(lastSecond, second);
        }

        synchronized long lastSecond() {
            return lastSecond;
        }

        synchronized double rate(long now) {
            long total = 0;
            for (long s = now - RATE_SECONDS; s < now; s++) {
                total += seconds.requestsAt(s);
            }
            return total / (double) RATE_SECONDS;
        }

        synchronized List<Point> series(Window window, long now) {
            return (window == Window.HOUR ? hour : day).points(now);
        }

        static List<Point> empty(Window window, long now) {
            return new Ring(window.slots, window.slotSeconds).points(now);
        }
    }

    /** A ring of slots, each {@code slotSeconds} long, reused when time moves past them. */
    private static final class Ring {
        private final long slotSeconds;
        private final long[] slotIndex;
        private final long[] requests;
        private final long[] bytesIn;
        private final long[] bytesOut;
        private final List<Map<String, Long>> refusals;

        Ring(int size, long slotSeconds) {
            this.slotSeconds = slotSeconds;
            slotIndex = new long[size];
            java.util.Arrays.fill(slotIndex, -1);
            requests = new long[size];
            bytesIn = new long[size];
            bytesOut = new long[size];
            refusals = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                refusals.add(new TreeMap<>());
            }
        }

        void add(long second, String reason, long in, long out) {
            long index = second / slotSeconds;
            int i = (int) Math.floorMod(index, (long) slotIndex.length);
            if (slotIndex[i] > index) {
                return; // older than the ring (a clock stepped back): not worth overwriting newer figures
            }
            fresh(index);
            requests[i]++;
            bytesIn[i] += Math.max(0, in);
            bytesOut[i] += Math.max(0, out);
            if (reason != null) {
                refusals.get(i).merge(reason, 1L, Long::sum);
            }
        }

        long requestsAt(long second) {
            long index = second / slotSeconds;
            int i = (int) Math.floorMod(index, (long) slotIndex.length);
            return slotIndex[i] == index ? requests[i] : 0;
        }

        /** The slot for {@code index}, emptied first if it last held an older one. */
        private int fresh(long index) {
            int i = (int) Math.floorMod(index, (long) slotIndex.length);
            if (slotIndex[i] != index) {
                slotIndex[i] = index;
                requests[i] = 0;
                bytesIn[i] = 0;
                bytesOut[i] = 0;
                refusals.get(i).clear();
            }
            return i;
        }

        List<Point> points(long now) {
            long last = now / slotSeconds;
            List<Point> out = new ArrayList<>(slotIndex.length);
            for (long index = last - slotIndex.length + 1; index <= last; index++) {
                int i = (int) Math.floorMod(index, (long) slotIndex.length);
                Instant start = Instant.ofEpochSecond(index * slotSeconds);
                out.add(
                        slotIndex[i] == index
                                ? new Point(start, requests[i], bytesIn[i], bytesOut[i], Map.copyOf(refusals.get(i)))
                                : new Point(start, 0, 0, 0, Map.of()));
            }
            return out;
        }
    }
}
