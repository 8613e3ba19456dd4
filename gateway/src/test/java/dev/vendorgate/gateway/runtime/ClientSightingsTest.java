package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.MutableClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-vendor table of client certificates stays bounded and forgets the least recently seen first. */
class ClientSightingsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aVendorWithManyCertificatesKeepsOnlyTheMostRecentlySeen() {
        MutableClock clock = new MutableClock(T0);
        ClientSightings sightings = new ClientSightings(clock, 3);
        EmbeddedChannel kept = new EmbeddedChannel();
        sightings.connected("acme", "spiffe://lab/acme/a", "aa", T0.plus(Duration.ofDays(90)), kept);
        for (String sha : List.of("b1", "b2", "b3", "b4")) {
            clock.advance(Duration.ofSeconds(1));
            sightings.connected("acme", "spiffe://lab/acme/b", sha, T0, new EmbeddedChannel());
            clock.advance(Duration.ofSeconds(1));
            // "aa" connects again between the others: it is recent, so it stays
            sightings.connected("acme", "spiffe://lab/acme/a", "aa", T0, new EmbeddedChannel());
        }
        sightings.connected("globex", "spiffe://lab/globex/x", "cc", T0, new EmbeddedChannel());

        List<ClientSightings.Sighting> acme = sightings.of("acme");
        assertThat(acme).extracting(ClientSightings.Sighting::sha256).containsExactly("aa", "b4", "b3");
        ClientSightings.Sighting a = acme.get(0);
        assertThat(a.firstSeen()).isEqualTo(T0);
        assertThat(a.lastSeen()).isEqualTo(T0.plusSeconds(8));
        assertThat(a.connections()).isEqualTo(5);
        assertThat(a.open()).isEqualTo(5);
        assertThat(sightings.of("globex")).hasSize(1); // another vendor's table is its own
        assertThat(sightings.of("initech")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        kept.close();
        ClientSightings.Sighting closed = sightings.of("acme").get(0);
        assertThat(closed.open()).isEqualTo(4);
        assertThat(closed.lastSeen()).isEqualTo(T0.plusSeconds(68));
    }

    @Test
    void theDefaultCapIsAThousandPerVendor() {
        MutableClock clock = new MutableClock(T0);
        ClientSightings sightings = new ClientSightings(clock);
        for (int i = 0; i < 1_500; i++) {
            sightings.connected("acme", "c", "sha-" + i, T0, new EmbeddedChannel());
        }
        assertThat(sightings.of("acme")).hasSize(ClientSightings.MAX_PER_VENDOR);
    }
}
