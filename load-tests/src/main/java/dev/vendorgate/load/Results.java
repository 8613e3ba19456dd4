package dev.vendorgate.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/** What a run measured: latencies (HdrHistogram, microseconds), statuses, errors and bytes. Thread-safe. */
final class Results {

    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private volatile boolean recording;

    /** Starts counting (after the warm-up). */
    void start() {
        latency.reset();
        recording = true;
    }

    void stop() {
        recording = false;
    }

    void response(int status, long latencyNanos, long bodyBytes) {
        if (!recording) {
            return;
        }
        latency.recordValue(
                Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMicros(latencyNanos), TimeUnit.MINUTES.toMicros(1))));
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        bytes.add(bodyBytes);
    }

    void error() {
        if (recording) {
            errors.increment();
        }
    }

    void connected() {
        if (recording) {
            connections.increment();
        }
    }

    /** Moves what was recorded since the last call into the total and, if given, the log. */
    void interval(HistogramLogWriter log) {
        Histogram interval = latency.getIntervalHistogram();
        total.add(interval);
        if (log != null) {
            log.outputIntervalHistogram(interval);
        }
    }

    long requests() {
        return statuses.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long ok() {
        LongAdder ok = statuses.get(200);
        return ok == null ? 0 : ok.sum();
    }

    long errors() {
        return errors.sum();
    }

    /** Body bytes of the responses counted. */
    long bytes() {
        return bytes.sum();
    }

    Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((status, count) -> out.put(status, count.sum()));
        return out;
    }

    Histogram histogram() {
        return total;
    }

    /** One line for people, or one JSON object for scripts. */
    void print(PrintStream out, String scenario, double seconds, boolean json) {
        long requests = requests();
        double rps = requests / seconds;
        double mbps = bytes.sum() / seconds / 1e6;
        if (json) {
            out.printf(
                    Locale.ROOT,
                    "{\"scenario\":\"%s\",\"seconds\":%.3f,\"requests\":%d,\"ok\":%d,\"errors\":%d,"
                            + "\"rps\":%.1f,\"mbps\":%.2f,\"connections\":%d,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
                            + "\"p999_ms\":%.3f,\"max_ms\":%.3f}%n",
                    scenario,
                    seconds,
                    requests,
                    ok(),
                    errors(),
                    rps,
                    mbps,
                    connections.sum(),
                    ms(50),
                    ms(90),
                    ms(99),
                    ms(99.9),
                    total.getMaxValue() / 1000.0);
        } else {
            out.printf(
                    Locale.ROOT,
                    "%s: %d requests in %.1fs = %.0f req/s, %.1f MB/s, %d errors, statuses %s; "
                            + "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    scenario,
                    requests,
                    seconds,
                    rps,
                    mbps,
                    errors(),
                    statuses(),
                    ms(50),
                    ms(90),
                    ms(99),
                    ms(99.9),
                    total.getMaxValue() / 1000.0);
        }
    }

    private double ms(double percentile) {
        return total.getValueAtPercentile(percentile) / 1000.0;
    }
}
