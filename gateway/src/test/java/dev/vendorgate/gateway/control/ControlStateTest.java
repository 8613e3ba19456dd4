package dev.vendorgate.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A suspension in force is never loosened by another suspension, whatever order the changes
 * arrive in: the rule every node of a fleet applies, so that concurrent calls on different nodes
 * end in the same, strictest state.
 */
class ControlStateTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static ControlChange.Suspend suspend(String reason, long millis, boolean readOnly) {
        return new ControlChange.Suspend(
                "acme", T.plusMillis(millis), "oncall", reason, null, SuspendMode.SEVER, readOnly);
    }

    @Test
    void aReadOnlySuspensionAfterAFullOneLeavesTheFullOne() {
        ControlState state = ControlState.EMPTY.apply(suspend("full", 0, false)).apply(suspend("ro", 1, true));

        Suspension in = state.suspension("acme", T.plusSeconds(1)).orElseThrow();
        assertThat(in.readOnly()).isFalse();
        assertThat(in.reason()).isEqualTo("full");
    }

    @Test
    void aFullSuspensionTightensAReadOnlyOne() {
        ControlState state = ControlState.EMPTY.apply(suspend("ro", 0, true)).apply(suspend("full", 1, false));

        assertThat(state.suspension("acme", T.plusSeconds(1)).orElseThrow().readOnly())
                .isFalse();
        assertThat(state.vendorCutoff("acme"))
                .as("the full one kills earlier tokens")
                .isEqualTo(T.plusMillis(1));
    }

    @Test
    void anyOrderOfConcurrentSuspensionsEndsInTheSameState() {
        List<ControlChange.Suspend> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            changes.add(suspend("call " + i, i % 3, i % 2 == 1));
        }
        Random random = new Random(7);
        Suspension expected = null;
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(changes, random);
            ControlState state = ControlState.EMPTY;
            for (ControlChange.Suspend change : changes) {
                state = state.apply(change);
            }
            Suspension in = state.suspension("acme", T.plusSeconds(1)).orElseThrow();
            assertThat(in.readOnly()).isFalse();
            if (expected == null) {
                expected = in;
            }
            assertThat(in).isEqualTo(expected);
        }
    }

    @Test
    void aResumeStillLiftsIt() {
        ControlState state = ControlState.EMPTY
                .apply(suspend("full", 0, false))
                .apply(new ControlChange.Resume("acme", T.plusSeconds(1), "oncall", "over"))
                .apply(suspend("ro", 2000, true));

        assertThat(state.suspension("acme", T.plusSeconds(3)).orElseThrow().readOnly())
                .isTrue();
    }
}
