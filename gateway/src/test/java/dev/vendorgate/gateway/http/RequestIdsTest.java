package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsAreUniqueUlidsOrderedByTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.next(java.time.Clock.systemUTC());
            assertThat(id).matches("[0-9A-HJKMNP-TV-Z]{26}");
            assertThat(seen.add(id)).isTrue();
        }
        assertThat(RequestIds.next(1_000L)).isLessThan(RequestIds.next(2_000L));
        // the time part of a ULID for the epoch millisecond 1 is 0000000001
        assertThat(RequestIds.next(1L)).startsWith("0000000001");
    }
}
