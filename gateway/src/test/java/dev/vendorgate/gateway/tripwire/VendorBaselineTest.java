package dev.vendorgate.gateway.tripwire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.policy.Tripwires;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The figures a baseline keeps: close enough to count on, and bounded whatever a vendor does. */
class VendorBaselineTest {

    private static final long NOW = 1_796_000_000L;

    @Test
    void distinctObjectsAreCountedWithinAFewPercentAndSaturateInFixedMemory() {
        ObjectSketch sketch = new ObjectSketch();
        for (int i = 0; i < 10_000; i++) {
            String path = "/datasets/r" + (i % 7) + "/shard-" + i + ".parquet";
            sketch.add(path.hashCode());
            sketch.add(path.hashCode()); // the same object twice counts once
        }
        assertThat(sketch.estimate()).isBetween(9_500L, 10_500L);
        for (int i = 0; i < 2_000_000; i++) {
            sketch.add(("/x/" + i).hashCode());
        }
        assertThat(sketch.estimate()).isEqualTo(ObjectSketch.MAX_ESTIMATE);
        assertThat(sketch.words()).hasSize(ObjectSketch.WORDS);
    }

    @Test
    void networksAreBoundedAndHoursRollIntoTheHistory() {
        VendorBaseline b = new VendorBaseline("acme", NOW / 3600);
        for (int i = 0; i < 10_000; i++) {
            b.record(
                    "/d/" + i, new InetSocketAddress("10." + (i >> 8 & 255) + "." + (i & 255) + ".9", 1), 100, NOW + i);
        }
        b.tick(NOW / 3600, NOW + 10_000);
        assertThat(b.networks()).hasSizeLessThanOrEqualTo(VendorBaseline.MAX_NETWORKS);
        assertThat(b.networks())
                .containsKey(Networks.key(new InetSocketAddress("10.39.15.9", 1)))
                .as("the most recent are kept");
        assertThat(b.drainSightings()).hasSize(10_000);

        b.tick(NOW / 3600 + 1, NOW + 3600);
        assertThat(b.historyHours()).isEqualTo(1);
        assertThat(b.baseline(Tripwires.Kind.BYTES_OUT)).isEqualTo(1_000_000);
        assertThat(b.baseline(Tripwires.Kind.REQUESTS)).isEqualTo(10_000);
        assertThat(b.current().requests()).isZero();
        b.tick(NOW / 3600 + 1 + VendorBaseline.HISTORY_HOURS, NOW + 3600L * (2 + VendorBaseline.HISTORY_HOURS));
        assertThat(b.historyHours()).as("older than four weeks: forgotten").isZero();
    }

    @Test
    void inAFleetEachCountIsSentOnceAndAgainOnlyWhenTheCallFailed() {
        VendorBaseline b = new VendorBaseline("acme", NOW / 3600);
        b.shared = true;
        InetSocketAddress from = new InetSocketAddress("10.1.2.3", 1);
        b.record("/d/a", from, 100, NOW);
        b.record("/d/a", from, 100, NOW);
        b.record("/d/b", from, 50, NOW);
        VendorBaseline.Outgoing first = b.outgoing();
        assertThat(first.bytesOut()).isEqualTo(250);
        assertThat(first.requests()).isEqualTo(3);
        assertThat(first.objects()).containsExactlyInAnyOrder("/d/a", "/d/b");
        assertThat(first.networks()).containsOnlyKeys(Networks.key(from));

        b.outgoingFailed(first); // Redis did not answer: all of it goes again, with what came since
        b.record("/d/c", from, 10, NOW + 1);
        VendorBaseline.Outgoing again = b.outgoing();
        assertThat(again.bytesOut()).isEqualTo(260);
        assertThat(again.objects()).containsExactlyInAnyOrder("/d/a", "/d/b", "/d/c");
        assertThat(again.networks())
                .as("not yet known to have reached the fleet")
                .containsOnlyKeys(Networks.key(from));

        b.fleet(again, 9_000, 90, 40, NOW - 86_400, NOW + 2);
        assertThat(b.current()).isEqualTo(new VendorBaseline.Hour(9_000, 90, 40));
        assertThat(b.firstSeen).as("the fleet saw acme first").isEqualTo(NOW - 86_400);
        VendorBaseline.Outgoing nothing = b.outgoing();
        assertThat(nothing.bytesOut()).isZero();
        assertThat(nothing.objects()).isEmpty();
        assertThat(nothing.networks()).isEmpty();

        long hour = NOW / 3600;
        b.fleetHistory(
                java.util.Map.of(
                        hour - 2, new VendorBaseline.Hour(5_000, 20, 7), hour, new VendorBaseline.Hour(1, 1, 1)),
                hour);
        assertThat(b.historyHours()).as("past hours only").isEqualTo(1);
        assertThat(b.baseline(Tripwires.Kind.OBJECTS)).isEqualTo(7);
        assertThat(b.fleetHistoryHour).isEqualTo(hour);
    }

    @Test
    void networksAreWrittenAndReadBack() {
        for (String address : new String[] {"192.0.2.77", "2001:db8:1234:5678::1"}) {
            long key = Networks.key(new InetSocketAddress(address, 443));
            assertThat(Networks.parse(Networks.describe(key)))
                    .as(Networks.describe(key))
                    .isEqualTo(key);
        }
        assertThat(Networks.describe(Networks.key(new InetSocketAddress("192.0.2.77", 1))))
                .isEqualTo("192.0.2.0/24");
        assertThat(Networks.describe(Networks.key(new InetSocketAddress("2001:db8:1234:5678::1", 1))))
                .isEqualTo("2001:db8:1234::/48");
    }
}
