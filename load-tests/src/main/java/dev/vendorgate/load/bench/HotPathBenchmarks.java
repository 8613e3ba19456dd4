package dev.vendorgate.load.bench;

import dev.vendorgate.gateway.audit.AuditRecord;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.http.CanonicalTarget;
import dev.vendorgate.gateway.limits.Limiters;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.gateway.token.TokenIssuer;
import dev.vendorgate.gateway.token.TokenVerifier;
import dev.vendorgate.gateway.token.Tokens;
import dev.vendorgate.policy.AccessDecision;
import dev.vendorgate.policy.AccessPolicy;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The per-request work the gateway adds to proxying, each step alone: the access decision, path
 * canonicalisation, a token check that hits the verifier's cache, the rate/in-flight limiter,
 * and encoding plus hashing one audit record. Run with {@code java -jar load-tests.jar bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {

    private static final String THUMBPRINT = TokenIssuer.thumbprint("ab".repeat(32));

    private AccessPolicy access;
    private Vendor vendor;
    private String authorization;
    private TokenVerifier verifier;
    private VendorLimiter limiter;
    private VendorLimiter fleetLimiter;
    private AuditRecord record;
    private MessageDigest sha256;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path keys = Files.createTempDirectory("bench-keys");
        Policy policy = BenchPolicy.load(keys);
        access = AccessPolicy.compile(policy);
        vendor = access.vendor("v7").orElseThrow();
        Tokens tokens = Tokens.load(policy.tokens().orElseThrow(), Runnable::run);
        TokenIssuer.Outcome issued = tokens.issuer()
                .issue(Map.of("grant_type", "client_credentials"), vendor, "pipeline", THUMBPRINT, Instant.now());
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(((TokenIssuer.Outcome.Issued) issued).json());
        if (!token.find()) {
            throw new IllegalStateException("no token issued");
        }
        authorization = "Bearer " + token.group(1);
        verifier = tokens.verifier();
        if (!(verifier.check(authorization, THUMBPRINT, "v7", Instant.now(), ControlState.EMPTY)
                instanceof TokenVerifier.Result.Valid)) {
            throw new IllegalStateException("the benchmark token does not verify");
        }
        Limiters limiters = new Limiters(Clock.systemUTC());
        limiters.apply(policy, ControlState.EMPTY);
        limiter = limiters.of("v7");
        // the same vendor in a fleet: leases come back at once, as from a Redis on the same host
        Limiters fleet = new Limiters(Clock.systemUTC());
        fleet.apply(policy, ControlState.EMPTY);
        fleet.leaser(new dev.vendorgate.gateway.control.QuotaLeaser() {
            @Override
            public java.util.concurrent.CompletableFuture<Long> lease(
                    String vendor, String direction, long want, long limit) {
                return java.util.concurrent.CompletableFuture.completedFuture(want);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Long> leaseRequests(
                    String vendor, long want, double rate, int burst) {
                return java.util.concurrent.CompletableFuture.completedFuture(want);
            }
        });
        fleetLimiter = fleet.of("v7");
        record = new AuditRecord(
                Instant.now(),
                "01JDBENCH0000000000000000",
                "v7",
                "pipeline",
                "ab".repeat(32),
                "jti-123456",
                "10.0.0.7:51234",
                "h1",
                "GET",
                "/datasets/r3/shard-00042.parquet",
                "r3",
                "data",
                "allow",
                null,
                200,
                0,
                1_048_576,
                1234);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public AccessDecision policyDecision() {
        return access.decide(vendor, VendorStatus.ACTIVE, "GET", "/datasets/r7/shard-00042.parquet");
    }

    @Benchmark
    public CanonicalTarget pathCanonicalisation() throws Exception {
        return CanonicalTarget.parse("/datasets/r7/./incoming/../shard%20042.parquet?version=3&part=1");
    }

    @Benchmark
    public TokenVerifier.Result tokenCacheHit() {
        return verifier.check(authorization, THUMBPRINT, "v7", Instant.now(), ControlState.EMPTY);
    }

    @Benchmark
    public boolean limiterDecision() {
        VendorLimiter.Refusal refusal = limiter.acquireRate("pipeline", 1, System.nanoTime());
        boolean admitted = refusal == null && limiter.acquireInFlight();
        if (admitted) {
            limiter.release();
        }
        return admitted;
    }

    /** The same decision in a fleet: the vendor's rate taken from a pool that leases refill. */
    @Benchmark
    public boolean limiterDecisionInAFleet() {
        VendorLimiter.Refusal refusal = fleetLimiter.acquireRate("pipeline", 1, System.nanoTime());
        boolean admitted = refusal == null && fleetLimiter.acquireInFlight();
        if (admitted) {
            fleetLimiter.release();
        }
        return admitted;
    }

    /** The same decision from four threads on one vendor's limiter: the contended case. */
    @Benchmark
    @Threads(4)
    public boolean limiterDecisionContended() {
        return limiterDecision();
    }

    /** Counting one 16 KiB response buffer against the daily byte quota, on one node. */
    @Benchmark
    public boolean quotaCount() {
        return limiter.countOut(16_384, Instant.now());
    }

    /** The same in a fleet: counted locally, with a lease asked for (here granted at once) now and then. */
    @Benchmark
    public boolean quotaCountInAFleet() {
        return fleetLimiter.countOut(16_384, Instant.now());
    }

    @Benchmark
    public synchronized byte[] auditRecordEncoding() {
        byte[] line = record.line(seq++, "0".repeat(64));
        return sha256.digest(line);
    }
}
