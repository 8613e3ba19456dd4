package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.policy.Limits;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded journal: durable, replayed at start, robust to a crash mid-write. */
class FileControlStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private static Vendor vendor(String id) {
        return new Vendor(id, id, List.of(), List.of(), Set.of(), Set.of(), Limits.NONE, VendorStatus.ACTIVE);
    }

    private static ControlChange.Suspend suspend(String vendor, Instant at) {
        return new ControlChange.Suspend(vendor, at, "alice", "leak", null, SuspendMode.SEVER, false);
    }

    private FileControlStore open() throws IOException {
        return FileControlStore.open(dir, Clock.systemUTC());
    }

    @Test
    void changesAreReplayedAtStart() throws Exception {
        try (FileControlStore store = open()) {
            store.load();
            store.persist(suspend("acme", T0)).join();
            store.persist(suspend("globex", T0)).join();
            store.persist(new ControlChange.Resume("globex", T0.plusSeconds(5), "bob", "fine"))
                    .join();
        }
        try (FileControlStore store = open()) {
            ControlState state = store.load();

            assertThat(state.effectiveStatus(vendor("acme"), T0.plusSeconds(10)))
                    .isEqualTo(VendorStatus.SUSPENDED);
            assertThat(state.effectiveStatus(vendor("globex"), T0.plusSeconds(10)))
                    .isEqualTo(VendorStatus.ACTIVE);
            // globex's suspension still invalidates what was issued before it
            assertThat(state.vendorCutoff("globex")).isEqualTo(T0);
        }
    }

    @Test
    void aTornLastRecordIsSkippedAndEverythingBeforeItKept() throws Exception {
        try (FileControlStore store = open()) {
            store.load();
            store.persist(suspend("acme", T0)).join();
            store.persist(suspend("globex", T0)).join();
        }
        Path journal = dir.resolve(FileControlStore.JOURNAL);
        byte[] full = FileControlStore.line(suspend("initech", T0));
        Files.write(journal, java.util.Arrays.copyOf(full, full.length / 2), StandardOpenOption.APPEND);

        try (FileControlStore store = open()) {
            ControlState state = store.load();

            assertThat(state.suspension("acme", T0).isPresent()).isTrue();
            assertThat(state.suspension("globex", T0).isPresent()).isTrue();
            assertThat(state.suspension("initech", T0).isPresent()).isFalse();
            // the torn bytes are cut off, so the next change starts on a clean line
            store.persist(suspend("hooli", T0)).join();
        }
        try (FileControlStore store = open()) {
            assertThat(store.load().suspension("hooli", T0).isPresent()).isTrue();
        }
    }

    @Test
    void aLastLineWithABadChecksumIsTornToo() throws Exception {
        try (FileControlStore store = open()) {
            store.load();
            store.persist(suspend("acme", T0)).join();
        }
        Path journal = dir.resolve(FileControlStore.JOURNAL);
        String bad = new String(FileControlStore.line(suspend("globex", T0)), StandardCharsets.UTF_8)
                .replace("globex", "glob3x");
        Files.writeString(journal, bad, StandardOpenOption.APPEND);

        try (FileControlStore store = open()) {
            ControlState state = store.load();
            assertThat(state.suspension("acme", T0)).isPresent();
            assertThat(state.suspension("glob3x", T0)).isEmpty();
        }
    }

    @Test
    void corruptionBeforeTheEndRefusesToStart() throws Exception {
        try (FileControlStore store = open()) {
            store.load();
            store.persist(suspend("acme", T0)).join();
            store.persist(suspend("globex", T0)).join();
        }
        Path journal = dir.resolve(FileControlStore.JOURNAL);
        Files.writeString(journal, Files.readString(journal).replaceFirst("acme", "acm3"));

        try (FileControlStore store = open()) {
            assertThatThrownBy(store::load).isInstanceOf(IOException.class).hasMessageContaining("line 1 is corrupt");
        }
    }

    @Test
    void compactionKeepsTheStateAndDropsHistory() throws Exception {
        try (FileControlStore store = open()) {
            store.load();
            for (int i = 0; i < 50; i++) {
                store.persist(suspend("v" + i, T0)).join();
                store.persist(new ControlChange.Resume("v" + i, T0.plusSeconds(1), "bob", "ok"))
                        .join();
            }
            store.persist(suspend("acme", T0.plusSeconds(2))).join();
            store.persist(new ControlChange.Revoke(
                            ControlChange.RevocationKind.TOKEN,
                            "jti-1",
                            T0,
                            "bob",
                            "leak",
                            Instant.now().plus(Duration.ofHours(1))))
                    .join();
            store.compact();
        }
        long lines = Files.readAllLines(dir.resolve(FileControlStore.JOURNAL)).size();
        assertThat(lines).isLessThan(60);
        try (FileControlStore store = open()) {
            ControlState state = store.load();
            assertThat(state.suspension("acme", T0.plusSeconds(3))).isPresent();
            assertThat(state.suspension("v7", T0.plusSeconds(3))).isEmpty();
            assertThat(state.vendorCutoff("v7")).isEqualTo(T0);
            assertThat(state.tokenRevoked("jti-1")).isTrue();
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is what is tested: that it can be opened
    void oneGatewayPerStateFolder() throws Exception {
        try (FileControlStore first = open()) {
            assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("in use by another");
        }
    }

    @Test
    void expiredSuspensionsLiftByThemselvesButKeepTheirCutoff() {
        ControlState state = ControlState.EMPTY.apply(
                new ControlChange.Suspend("acme", T0, "alice", "1h", T0.plusSeconds(3600), SuspendMode.SEVER, false));

        assertThat(state.effectiveStatus(vendor("acme"), T0.plusSeconds(60))).isEqualTo(VendorStatus.SUSPENDED);
        assertThat(state.effectiveStatus(vendor("acme"), T0.plusSeconds(3601))).isEqualTo(VendorStatus.ACTIVE);
        assertThat(state.vendorCutoff("acme")).isEqualTo(T0);
    }
}
