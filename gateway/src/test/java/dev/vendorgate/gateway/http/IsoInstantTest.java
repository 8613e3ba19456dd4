package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L - 86_400L * 800, 253_402_300_799L + 86_400L * 800);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoInstant.toString(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void theEdgesOfEveryMonthYearAndEraAreWritten() {
        for (Instant instant : new Instant[] {
            Instant.EPOCH,
            Instant.EPOCH.minusNanos(1),
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("0000-02-29T23:59:59.999Z"),
            Instant.parse("1600-02-29T12:00:00Z"),
            Instant.parse("1900-02-28T23:59:59Z"),
            Instant.parse("1900-03-01T00:00:00Z"),
            Instant.parse("2000-02-29T00:00:00.000001Z"),
            Instant.parse("2026-12-31T23:59:59.999999999Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("-0001-12-31T23:59:59Z"),
            Instant.MAX,
            Instant.MIN
        }) {
            assertThat(IsoInstant.toString(instant)).isEqualTo(instant.toString());
        }
        for (long day = -800_000; day < 3_000_000; day++) {
            Instant instant = Instant.ofEpochSecond(day * 86_400);
            assertThat(IsoInstant.toString(instant)).isEqualTo(instant.toString());
        }
    }
}
