package dev.vendorgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared response timer of one event loop: each wait expires at its own deadline, never before. */
class ResponseDeadlinesTest {

    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(200);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final ResponseDeadlines deadlines = new ResponseDeadlines(loop, TIMEOUT);
    private final List<String> expired = new CopyOnWriteArrayList<>();
    private final List<Long> lateness = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Starts a wait named {@code name} that records how long after its start it expired. */
    private ResponseDeadlines.Wait start(String name, CountDownLatch done) {
        long started = loop.ticker().nanoTime();
        return deadlines.start(() -> {
            lateness.add(loop.ticker().nanoTime() - started - TIMEOUT);
            expired.add(name);
            done.countDown();
        });
    }

    @Test
    void waitsExpireInOrderEachAtItsOwnDeadline() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        onLoop(() -> start("a", done));
        Thread.sleep(60);
        onLoop(() -> start("b", done));
        Thread.sleep(60);
        onLoop(() -> start("c", done));

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("a", "b", "c");
        // no wait expires before its timeout (the shared task re-arms for the next deadline, it does not round)
        assertThat(lateness).allSatisfy(late -> assertThat(late).isNotNegative());
        assertThat(onLoop(deadlines::waiting)).isZero();
    }

    @Test
    void aCancelledWaitNeverExpiresAndTheOthersStillDo() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        ResponseDeadlines.Wait first = onLoop(() -> start("first", done));
        ResponseDeadlines.Wait middle = onLoop(() -> start("middle", done));
        onLoop(() -> start("last", done));
        onLoop(() -> {
            first.cancel();
            middle.cancel();
            middle.cancel(); // twice is harmless
            return null;
        });
        Thread.sleep(40);
        onLoop(() -> start("later", done));

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(expired).containsExactly("last", "later");
        assertThat(lateness).allSatisfy(late -> assertThat(late).isNotNegative());
    }

    @Test
    void aWaitStartedAfterAllOthersWereCancelledIsNotCutShortByTheirTask() throws Exception {
        // the task armed for the cancelled wait's deadline still runs: it must find nothing due and re-arm
        CountDownLatch done = new CountDownLatch(1);
        ResponseDeadlines.Wait gone = onLoop(() -> start("gone", done));
        onLoop(() -> {
            gone.cancel();
            return null;
        });
        Thread.sleep(150);
        onLoop(() -> start("fresh", done));

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("fresh");
        assertThat(lateness.get(0)).isNotNegative();
    }

    @Test
    void anExpiryMayStartAndCancelOtherWaits() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        ResponseDeadlines.Wait[] victim = new ResponseDeadlines.Wait[1];
        onLoop(() -> deadlines.start(() -> {
            expired.add("a");
            victim[0].cancel(); // an expiry that ends another exchange waiting on the same loop
            start("started by a", done); // and one that sends a request again
            done.countDown();
        }));
        victim[0] = onLoop(() -> start("victim", done));

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).containsExactly("a", "started by a");
    }
}
