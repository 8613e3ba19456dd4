package dev.vendorgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared response timer of one event loop: each wait expires at its own deadline, never before. Runs on an
 * embedded event loop whose clock the test moves, so every deadline is checked to the millisecond.
 */
class ResponseDeadlinesTest {

    private static final long TIMEOUT_MS = 200;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ResponseDeadlines deadlines =
            new ResponseDeadlines(channel.eventLoop(), TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS));
    private final List<String> expired = new ArrayList<>();
    private long nowMs;

    ResponseDeadlinesTest() {
        channel.freezeTime();
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
    }

    /** Moves the loop's clock to {@code ms} after the test's start and runs what has come due. */
    private void at(long ms) {
        channel.advanceTimeBy(ms - nowMs, TimeUnit.MILLISECONDS);
        nowMs = ms;
        channel.runScheduledPendingTasks();
    }

    private ResponseDeadlines.Wait start(String name) {
        return deadlines.start(() -> expired.add(name));
    }

    @Test
    void waitsExpireInOrderEachAtItsOwnDeadline() {
        start("a");
        at(60);
        start("b");
        at(120);
        start("c");

        at(199);
        assertThat(expired).isEmpty();
        at(200);
        assertThat(expired).containsExactly("a");
        at(259);
        assertThat(expired).containsExactly("a");
        at(260);
        assertThat(expired).containsExactly("a", "b");
        at(320);
        assertThat(expired).containsExactly("a", "b", "c");
        assertThat(deadlines.waiting()).isZero();
    }

    @Test
    void aCancelledWaitNeverExpiresAndTheOthersStillDo() {
        ResponseDeadlines.Wait first = start("first");
        ResponseDeadlines.Wait middle = start("middle");
        start("last");
        first.cancel();
        middle.cancel();
        middle.cancel(); // twice is harmless
        at(40);
        start("later");

        at(200);
        assertThat(expired).containsExactly("last");
        at(239);
        assertThat(expired).containsExactly("last");
        at(240);
        assertThat(expired).containsExactly("last", "later");
        at(1_000);
        assertThat(expired).containsExactly("last", "later");
    }

    @Test
    void aWaitStartedAfterAllOthersWereCancelledIsNotCutShortByTheirTask() {
        // the task armed for the cancelled wait's deadline still runs: it must find nothing due and re-arm
        start("gone").cancel();
        at(150);
        start("fresh");

        at(200); // the cancelled wait's deadline: its task runs here
        assertThat(expired).isEmpty();
        at(349);
        assertThat(expired).isEmpty();
        at(350);
        assertThat(expired).containsExactly("fresh");
    }

    @Test
    void anExpiryMayStartAndCancelOtherWaits() {
        ResponseDeadlines.Wait[] victim = new ResponseDeadlines.Wait[1];
        deadlines.start(() -> {
            expired.add("a");
            victim[0].cancel(); // an expiry that ends another exchange waiting on the same loop
            start("started by a"); // and one that sends a request again
        });
        victim[0] = start("victim");

        at(200);
        assertThat(expired).containsExactly("a");
        at(399);
        assertThat(expired).containsExactly("a");
        at(400);
        assertThat(expired).containsExactly("a", "started by a");
    }
}
