package dev.vendorgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.policy.Limits;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VendorLimiterTest {

    private static Limits rate(double rps, int burst, double clientRps, int clientBurst) {
        return new Limits(rps, burst, clientRps, clientBurst, 0, 0, 0, 0, Limits.QuotaAction.CUT);
    }

    @Test
    void aFloodOfDistinctClientIdsKeepsTheLimiterBounded() {
        VendorLimiter limiter = new VendorLimiter(rate(0, 0, 10, 10), Clock.systemUTC());

        for (int i = 0; i < 3 * (int) VendorLimiter.MAX_CLIENTS; i++) {
            limiter.acquireRate("spoofed-client-" + i, 1, System.nanoTime());
        }

        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(VendorLimiter.MAX_CLIENTS);
    }

    @Test
    void theBucketAllowsTheBurstThenTheRate() {
        VendorLimiter limiter = new VendorLimiter(rate(10, 5, 0, 0), Clock.systemUTC());
        long t = 1_000_000_000L;

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquireRate("c", 1, t)).isNull();
        }
        VendorLimiter.Refusal refusal = limiter.acquireRate("c", 1, t);
        assertThat(refusal).isNotNull();
        assertThat(refusal.waitNanos()).isEqualTo(100_000_000L);
        assertThat(limiter.acquireRate("c", 1, t + 100_000_000L)).isNull();
        assertThat(limiter.acquireRate("c", 1, t + 100_000_000L)).isNotNull();
        assertThat(limiter.acquireRate("c", 3, t + 10_000_000_000L))
                .as("a route costing 3")
                .isNull();
        assertThat(limiter.remaining(t + 10_000_000_000L)).isEqualTo(2);
    }

    @Test
    void quotasRollOverAtMidnightUtc() {
        Instant evening = Instant.parse("2026-11-28T23:59:00Z");
        VendorLimiter limiter = new VendorLimiter(
                new Limits(0, 0, 0, 0, 0, 0, 1000, 0, Limits.QuotaAction.CUT),
                Clock.fixed(evening, java.time.ZoneOffset.UTC));

        assertThat(limiter.countOut(999, evening)).isFalse();
        assertThat(limiter.countOut(2, evening)).isTrue();
        assertThat(limiter.outExhausted(evening)).isTrue();
        assertThat(limiter.quotaResetsAt(evening)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(limiter.outExhausted(Instant.parse("2026-11-29T00:00:01Z"))).isFalse();
        assertThat(limiter.inExhausted(evening)).as("no inbound quota").isFalse();
    }

    @Test
    void theRateLimitFieldSaysTheWholeSecondsUntilTheQuotaResets() {
        Instant evening = Instant.parse("2026-11-28T23:59:00.250Z");
        VendorLimiter limiter = new VendorLimiter(
                new Limits(0, 0, 0, 0, 0, 0, 1000, 0, Limits.QuotaAction.CUT),
                Clock.fixed(evening, java.time.ZoneOffset.UTC));
        limiter.countOut(400, evening);

        // 59.75 s before midnight: 59 whole seconds, as Duration.toSeconds counts them
        assertThat(limiter.state(System.nanoTime(), evening)).containsEntry("RateLimit", "\"bytes-out\";r=600;t=59");
        assertThat(limiter.state(System.nanoTime(), Instant.parse("2026-11-28T23:59:59.999Z")))
                .as("under a second left still says 1")
                .containsEntry("RateLimit", "\"bytes-out\";r=600;t=1");
    }

    @Test
    void secondsUntilCountsAsDurationDoes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261207);
        for (int i = 0; i < 100_000; i++) {
            Instant now = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
            Instant then = now.plusSeconds(random.nextLong(-5, 90_000))
                    .plusNanos(i % 3 == 0 ? 0 : random.nextInt(-999_999_999, 1_000_000_000));
            long expected = Math.max(1, java.time.Duration.between(now, then).toSeconds());
            assertThat(RateLimitHeaders.secondsUntil(now, then))
                    .as("%s to %s", now, then)
                    .isEqualTo(expected);
        }
    }
}
