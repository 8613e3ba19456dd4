package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.gateway.runtime.ConnectionCut;
import dev.vendorgate.gateway.testing.TestPki;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sever cuts the vendor's connections once while the suspension is written, and sweeps again
 * after it is durable for the connections opened meanwhile. The second sweep must find those, and
 * must not wait on a loop for the ones the first cut already closed: the suspend call would queue
 * behind the close events of every connection it cut.
 */
class ConnectionCutterTest {

    private static X509Certificate[] chain;

    @BeforeAll
    static void certificate(@TempDir Path dir) {
        chain = TestPki.create(dir).vendor("acme", "etl").chain().toArray(X509Certificate[]::new);
    }

    private static EmbeddedChannel vendorConnection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(VendorConnection.KEY).set(new VendorConnection(chain, channel));
        return channel;
    }

    @Test
    void aSecondSweepCutsOnlyTheConnectionsOpenedSinceTheFirst() {
        EmbeddedChannel first = vendorConnection();
        CompletableFuture<ConnectionCut> cut = ConnectionCutter.cut(List.of(first), SuspendMode.SEVER);
        first.runPendingTasks();
        assertThat(cut).isCompletedWithValue(new ConnectionCut(1, 0));
        assertThat(first.isOpen()).isFalse();

        // opened while the change was being written: the sweep cuts it, and counts only it
        EmbeddedChannel opened = vendorConnection();
        CompletableFuture<ConnectionCut> sweep = ConnectionCutter.cut(List.of(first, opened), SuspendMode.SEVER);
        opened.runPendingTasks();
        assertThat(sweep).isCompletedWithValue(new ConnectionCut(1, 0));
        assertThat(opened.isOpen()).isFalse();
    }

    @Test
    void aSweepThatFindsOnlyCutConnectionsAnswersWithoutATaskOnTheirLoop() {
        EmbeddedChannel first = vendorConnection();
        EmbeddedChannel second = vendorConnection();
        ConnectionCutter.cut(List.<Channel>of(first, second), SuspendMode.SEVER);
        first.runPendingTasks();

        CompletableFuture<ConnectionCut> sweep = ConnectionCutter.cut(List.of(first, second), SuspendMode.SEVER);
        // nothing run on the loop: the answer is already there
        assertThat(sweep).isCompletedWithValue(ConnectionCut.NONE);
        assertThat(first.hasPendingTasks()).isFalse();
    }

    @Test
    void aConnectionNotYetIdentifiedIsStillCut() {
        EmbeddedChannel anonymous = new EmbeddedChannel();
        CompletableFuture<ConnectionCut> cut = ConnectionCutter.cut(List.of(anonymous), SuspendMode.SEVER);
        anonymous.runPendingTasks();
        assertThat(cut).isCompletedWithValue(new ConnectionCut(1, 0));
        assertThat(anonymous.isOpen()).isFalse();
    }
}
