package dev.vendorgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import io.netty.util.concurrent.EventExecutor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener runs on an event loop of its own: an operator's call is answered while
 * every thread of vendor traffic is busy, so no load on the vendor listener can hold back a
 * suspension.
 */
class AdminLoopTest {

    @TempDir
    Path dir;

    @Test
    void aSuspensionIsAnsweredWhileEveryVendorEventLoopIsBusy() throws Exception {
        try (GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.WITH_ADMIN,
                java.util.Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)))) {
            var oncall = fixture.pki().pki().operator("oncall");
            // a first call, so that what follows measures the loops and not a cold start
            assertThat(fixture.admin(oncall, "GET", "/admin/status", null).statusCode())
                    .isEqualTo(200);

            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(count(fixture.gateway()));
            for (EventExecutor loop : fixture.gateway().vendorLoops()) {
                loop.execute(() -> {
                    held.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            try {
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

                HttpResponse<String> suspended =
                        fixture.admin(oncall, "POST", "/admin/vendors/globex/suspend", "{\"reason\":\"incident\"}");
                HttpResponse<String> status = fixture.admin(oncall, "GET", "/admin/vendors/globex", null);

                assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
                assertThat(status.body()).contains("\"suspended\"");
            } finally {
                release.countDown();
            }
        }
    }

    private static int count(Gateway gateway) {
        int n = 0;
        for (EventExecutor ignored : gateway.vendorLoops()) {
            n++;
        }
        return n;
    }
}
