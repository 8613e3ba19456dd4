package dev.vendorgate.gateway.tripwire;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.load.PolicyLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tripwires add to each request: the canary check on the canonical path (a vendor with
 * canaries, and one without) and the baseline count at the request's end (bytes, requests, the
 * distinct-object sketch, the source network). In the gateway's own package to reach the parts
 * directly; run with {@code java -jar load-tests.jar bench Tripwire}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TripwireBenchmarks {

    private static final String POLICY = """
            version: 1
            listeners:
              vendor: { bind: "127.0.0.1:0", tls: { cert: s.pem, key: s.key, clientCa: [ca.pem] } }
            upstreams: { data: { url: "http://127.0.0.1:8080" } }
            routes:
              - { id: read, pathPrefix: /datasets, methods: [GET], upstream: data }
            vendors:
              - id: v1
                identities: [ { spiffe: "spiffe://lab.example/vendor/v1" } ]
                routes: [read]
                canaries: [/datasets/v1-holdout/, /datasets/r3/labels-final-v2.parquet]
              - id: v2
                identities: [ { spiffe: "spiffe://lab.example/vendor/v2" } ]
                routes: [read]
            tripwires:
              canaries: { paths: [/datasets/canary/] }
            """;

    private CanaryIndex canaries;
    private VendorBaseline baseline;
    private VendorBaseline fleetBaseline;
    private char[][] distinct;
    private int next;
    private InetSocketAddress remote;
    private char[] path;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Policy policy = PolicyLoader.parse(POLICY, "bench.yaml", Path.of("."), false);
        canaries = CanaryIndex.of(policy);
        now = System.currentTimeMillis() / 1000;
        baseline = new VendorBaseline("v1", now / 3600);
        remote = new InetSocketAddress("10.20.30.40", 51234);
        path = "/datasets/r7/shard-00042.parquet".toCharArray();
        fleetBaseline = new VendorBaseline("v1", now / 3600);
        fleetBaseline.shared = true;
        distinct = new char[16384][];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = String.format("/datasets/r7/shard-%05d.parquet", i).toCharArray();
        }
    }

    /** A fresh path string, as each request has (its hash not yet computed). */
    private String path() {
        return new String(path);
    }

    @Benchmark
    public String canaryCheckVendorWithCanaries() {
        return canaries.match("v1", path());
    }

    @Benchmark
    public String canaryCheckVendorWithout() {
        return canaries.match("v2", path());
    }

    @Benchmark
    public VendorBaseline baselineCount() {
        baseline.record(path(), remote, 1_048_576, now);
        return baseline;
    }

    /** The whole per-request cost: the canary check at admission, the count at the end. */
    @Benchmark
    public VendorBaseline canaryCheckAndCount() {
        String p = path();
        if (canaries.match("v1", p) == null) {
            baseline.record(p, remote, 1_048_576, now);
        }
        return baseline;
    }

    /** The same from four threads on one vendor (contended; the counters are LongAdders). */
    @Benchmark
    @Threads(4)
    public VendorBaseline canaryCheckAndCountContended() {
        return canaryCheckAndCount();
    }

    /**
     * The count in a fleet on Redis: every request's object is also kept for the fleet's distinct
     * count, each a new one; the tripwire thread's once-a-second hand-over to Redis is included
     * (amortised: every 16,384 requests, which is far more often than once a second at this rate).
     */
    @Benchmark
    public VendorBaseline baselineCountInAFleet() {
        int i = next++ & (distinct.length - 1);
        if (i == 0) {
            fleetBaseline.outgoing();
        }
        fleetBaseline.record(new String(distinct[i]), remote, 1_048_576, now);
        return fleetBaseline;
    }
}
