package dev.vendorgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the console's live figures and charts are made of: a rate now, and slots that age out. */
class TrafficHistoryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TrafficHistory history = new TrafficHistory(clock);

    @Test
    void rateIsTheLastTenWholeSecondsAndFallsToZeroWhenTrafficStops() {
        for (int i = 0; i < 30; i++) {
            history.record("acme", null, 0, 100);
        }
        assertThat(history.requestsPerSecond("acme"))
                .as("the current second is not whole yet")
                .isZero();

        clock.advance(Duration.ofSeconds(1));
        assertThat(history.requestsPerSecond("acme")).isEqualTo(3.0);
        assertThat(history.requestsPerSecond("globex")).isZero();

        clock.advance(Duration.ofSeconds(10));
        assertThat(history.requestsPerSecond("acme")).isZero();
        assertThat(history.lastSeen("acme")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(history.lastSeen("globex")).isNull();
    }

    @Test
    void hourSeriesHasOneSlotPerMinuteAndForgetsWhatIsOlderThanAnHour() {
        history.record("acme", null, 10, 1000);
        history.record("acme", "rate-limited", 0, 0);
        clock.advance(Duration.ofMinutes(5));
        history.record("acme", null, 20, 2000);

        List<TrafficHistory.Point> hour = history.series("acme", TrafficHistory.Window.HOUR);
        assertThat(hour).hasSize(60);
        TrafficHistory.Point first = hour.get(54);
        assertThat(first.start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(first.requests()).isEqualTo(2);
        assertThat(first.bytesOut()).isEqualTo(1000);
        assertThat(first.refusals()).isEqualTo(Map.of("rate-limited", 1L));
        assertThat(hour.get(59).bytesIn()).isEqualTo(20);

        clock.advance(Duration.ofMinutes(58));
        hour = history.series("acme", TrafficHistory.Window.HOUR);
        assertThat(hour.stream().mapToLong(TrafficHistory.Point::requests).sum())
                .as("10:00 is gone, 10:05 stays")
                .isEqualTo(1);

        List<TrafficHistory.Point> day = history.series("acme", TrafficHistory.Window.DAY);
        assertThat(day).hasSize(96);
        assertThat(day.stream().mapToLong(TrafficHistory.Point::requests).sum()).isEqualTo(3);
    }

    @Test
    void aSlotReusedAfterTheRingWrapsStartsEmpty() {
        history.record("acme", null, 0, 500);
        clock.advance(Duration.ofHours(1));
        history.record("acme", null, 0, 7);

        List<TrafficHistory.Point> hour = history.series("acme", TrafficHistory.Window.HOUR);
        assertThat(hour.get(59).bytesOut()).isEqualTo(7);
        assertThat(hour.stream().mapToLong(TrafficHistory.Point::requests).sum())
                .isEqualTo(1);
    }
}
