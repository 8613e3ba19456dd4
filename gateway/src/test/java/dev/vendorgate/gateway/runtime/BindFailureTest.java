package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port that is taken is reported with the listener and the address, whichever transport is in use. */
class BindFailureTest {

    @TempDir
    Path dir;

    @Test
    void aTakenPortNamesTheListenerAndTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String policy = Policies.TWO_VENDORS.replaceFirst(
                    "bind: \"127.0.0.1:0\"", "bind: \"127.0.0.1:" + taken.getLocalPort() + "\"");

            assertThatThrownBy(() -> GatewayFixture.start(
                            TestPki.create(dir),
                            policy,
                            Map.of(),
                            GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1))))
                    .rootCause()
                    .isInstanceOf(GatewayConfigException.class)
                    .hasMessageContaining("listeners.vendor.bind: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
