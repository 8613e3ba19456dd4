package dev.vendorgate.gateway.audit;

import dev.vendorgate.gateway.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a refusal flood from flooding the trail: the first refusal of a kind (same vendor,
 * client, reason and route) in a second is written as it is; the rest of that second are
 * counted, with a few sample paths, and written as one {@code refusals} record when the second
 * is over. So the trail grows with the kinds of refusal per second, not with the requests, and
 * still says how many there were, of what, and when. Called from any event loop; drained by the
 * audit writer.
 */
final class RefusalAggregator {

    static final Duration WINDOW = Duration.ofSeconds(1);
    static final int MAX_KINDS = 4096;
    static final int SAMPLES = 5;

    private record Kind(String vendor, String client, String reason, String route) {}

    /** One second of one kind of refusal, after its first record. */
    private static final class Window {
        final Instant opened;
        final AuditRecord first;
        long count;
        Instant from;
        Instant last;
        final List<String> samples = new ArrayList<>(SAMPLES);
        boolean closed;

        Window(AuditRecord first) {
            this.opened = first.time();
            this.first = first;
        }
    }

    private final Map<Kind, Window> open = new ConcurrentHashMap<>();
    private final java.util.Queue<Window> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Takes a refusal into the window of its kind; false when it must be written as it is (the
     * first of its kind this second, not a refusal, or too many kinds at once to track).
     */
    boolean absorb(AuditRecord record) {
        if (!"deny".equals(record.decision()) || record.bytesIn() != 0 || record.bytesOut() != 0) {
            return false;
        }
        Kind kind = new Kind(record.vendor(), record.client(), record.reason(), record.route());
        for (int attempt = 0; attempt < 3; attempt++) {
            Window window = open.get(kind);
            if (window == null) {
                return open.size() >= MAX_KINDS || open.putIfAbsent(kind, new Window(record)) == null
                        ? false
                        : absorbInto(open.get(kind), record);
            }
            if (!record.time().isAfter(window.opened.plus(WINDOW))) {
                if (absorbInto(window, record)) {
                    return true;
                }
                continue; // closed meanwhile: look again
            }
            // its second is over: start the next one here (this record is its first, written in full), hand the
            // old one to the writer; done by the request side so that a busy writer cannot let a flood through
            if (open.replace(kind, window, new Window(record))) {
                synchronized (window) {
                    window.closed = true;
                }
                finished.add(window);
                return false;
            }
        }
        return false;
    }

    private static boolean absorbInto(Window window, AuditRecord record) {
        if (window == null) {
            return false;
        }
        synchronized (window) {
            if (window.closed) {
                return false;
            }
            window.count++;
            window.from = window.from == null ? record.time() : window.from;
            window.last = record.time();
            if (window.samples.size() < SAMPLES && record.path() != null && !window.samples.contains(record.path())) {
                window.samples.add(record.path());
            }
        }
        return true;
    }

    /** Closes the windows older than a second; returns what they absorbed, as records to write. */
    List<Summary> drain(Instant now, boolean all) {
        List<Summary> summaries = new ArrayList<>();
        Window done;
        while ((done = finished.poll()) != null) {
            add(summaries, done, now);
        }
        for (Iterator<Map.Entry<Kind, Window>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Kind, Window> entry = it.next();
            Window window = entry.getValue();
            if (!all && now.isBefore(window.opened.plus(WINDOW))) {
                continue;
            }
            synchronized (window) {
                window.closed = true;
            }
            it.remove();
            add(summaries, window, now);
        }
        return summaries;
    }

    private static void add(List<Summary> summaries, Window window, Instant now) {
        synchronized (window) {
            if (window.count > 0) {
                summaries.add(new Summary(
                        now, window.first, window.count, window.from, window.last, List.copyOf(window.samples)));
            }
        }
    }

    /** Refusals of one kind counted in one second, after the first (which was written in full). */
    record Summary(Instant time, AuditRecord kind, long count, Instant from, Instant last, List<String> samplePaths) {

        void appendFields(StringBuilder out) {
            out.append(",\"type\":\"refusals\",\"time\":");
            Json.quote(out, time.toString());
            AuditRecord.field(out, "vendor", kind.vendor());
            AuditRecord.field(out, "client", kind.client());
            AuditRecord.field(out, "certSha256", kind.certSha256());
            AuditRecord.field(out, "remote", kind.remote());
            AuditRecord.field(out, "route", kind.route());
            AuditRecord.field(out, "decision", "deny");
            AuditRecord.field(out, "reason", kind.reason());
            out.append(",\"status\":").append(kind.status());
            out.append(",\"count\":").append(count);
            AuditRecord.field(out, "from", from.toString());
            AuditRecord.field(out, "last", last.toString());
            out.append(",\"samplePaths\":[");
            for (int i = 0; i < samplePaths.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Json.quote(out, samplePaths.get(i));
            }
            out.append(']');
        }
    }
}
