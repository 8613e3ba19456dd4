package dev.vendorgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @Test
    void durations() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Units.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Units.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "-1s", "10 s", "10sec", "s", "1h30m", "9999999999999s"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void sizes() {
        assertThat(Units.parseSize("512")).isEqualTo(512);
        assertThat(Units.parseSize("64KiB")).isEqualTo(64 * 1024);
        assertThat(Units.parseSize("10MiB")).isEqualTo(10L << 20);
        assertThat(Units.parseSize("50GiB")).isEqualTo(50L << 30);
        assertThat(Units.parseSize("2TiB")).isEqualTo(2L << 40);
        assertThat(Units.parseSize("1KB")).isEqualTo(1000);
        assertThat(Units.parseSize("1GB")).isEqualTo(1_000_000_000L);
        assertThat(Units.parseSize("7B")).isEqualTo(7);
        assertThat(Units.formatSize(50L << 30)).isEqualTo("50GiB");
        assertThat(Units.formatSize(1000)).isEqualTo("1000B");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "1.5GiB", "-1", "10 megabytes", "10XB", "GiB"})
    void badSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a size");
    }

    @Test
    void sizesThatOverflowAreRefused() {
        assertThatThrownBy(() -> Units.parseSize("9999999TiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Units.parseSize("99999999999999999999")).hasMessageContaining("too large");
    }
}
