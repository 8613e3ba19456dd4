package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Shutdown (SIGTERM runs the same close) stops accepting and lets requests in flight finish. */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void requestsInFlightFinishAndNewConnectionsAreRefused(HttpClient.Version version) throws Exception {
        GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.TWO_VENDORS,
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(10)));
        IssuedCertificate acme = fixture.pki().vendor("acme", null);
        try {
            HttpClient client = fixture.client(acme, version);
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return fixture.get(client, "/slow/1000");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitUntil(() -> fixture.gateway().state().inFlight() == 1);

            fixture.gateway().close();

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok GET /slow/1000");
            HttpClient fresh = fixture.client(acme, version);
            assertThatThrownBy(() -> fixture.get(fresh, "/datasets/after")).isInstanceOf(IOException.class);
        } finally {
            fixture.close();
        }
    }

    @Test
    void shutdownDoesNotWaitLongerThanTheGracePeriod() throws Exception {
        GatewayFixture fixture = GatewayFixture.start(
                TestPki.create(dir),
                Policies.TWO_VENDORS.replace("request: 1500ms", "request: 60s"),
                Map.of(),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofMillis(500)));
        IssuedCertificate acme = fixture.pki().vendor("acme", null);
        try {
            HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
            CompletableFuture<Integer> hanging = CompletableFuture.supplyAsync(() -> {
                try {
                    return fixture.get(client, "/hang/forever").statusCode();
                } catch (IOException | InterruptedException e) {
                    return -1;
                }
            });
            waitUntil(() -> fixture.gateway().state().inFlight() == 1);
            long start = System.nanoTime();

            fixture.gateway().close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(hanging.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        } finally {
            fixture.close();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        await("condition reached in time")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }
}
