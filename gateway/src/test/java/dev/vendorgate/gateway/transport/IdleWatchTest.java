package dev.vendorgate.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle event comes after the idle time with nothing read or written, never while bytes move. */
class IdleWatchTest {

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    IdleWatchTest() {
        channel.freezeTime();
        channel.pipeline().addLast(new IdleWatch(Duration.ofSeconds(4)), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                // the test's reads are strings; nothing to release
            }
        });
    }

    private void pass(long seconds) {
        for (int i = 0; i < seconds * 10; i++) { // in steps, as an event loop runs its timers
            channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void aQuietConnectionIsIdleAfterTheIdleTimeAndNotBefore() {
        pass(3);
        assertThat(events).isEmpty();
        pass(2); // 4 s, and at most a quarter of it more
        assertThat(events).containsExactly(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        pass(4); // still quiet: once more each idle time
        assertThat(events).hasSize(2);
    }

    @Test
    void readsKeepItBusy() {
        busyFor30SecondsThenQuiet(() -> channel.writeInbound("bytes"));
    }

    @Test
    void writesKeepItBusyToo() {
        busyFor30SecondsThenQuiet(() -> channel.writeOutbound("bytes")); // a long download
    }

    private void busyFor30SecondsThenQuiet(Runnable activity) {
        for (int i = 0; i < 10; i++) {
            pass(3);
            activity.run();
        }
        assertThat(events).as("30 s with activity every 3 s").isEmpty();
        pass(6);
        assertThat(events).hasSize(1);
    }

    @Test
    void aClosedConnectionHasNoMoreEvents() {
        channel.close();
        pass(10);
        assertThat(events).isEmpty();
    }

    @Test
    void aZeroIdleTimeIsRefused() {
        assertThatThrownBy(() -> new IdleWatch(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
