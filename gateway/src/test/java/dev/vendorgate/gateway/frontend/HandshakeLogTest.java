package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed handshake is one log line without a stack trace, not a second warning from ALPN. */
class HandshakeLogTest {

    @TempDir
    Path dir;

    @Test
    void aFailedHandshakeIsLoggedOnceWithoutAStack() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        root.setLevel(Level.INFO);
        root.addHandler(capture);
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.TWO_VENDORS)) {
            DevPki stranger = DevPki.create(TestPki.TRUST_DOMAIN);
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertThatThrownBy(() -> {
                            try (RawHttpsClient client = new RawHttpsClient(
                                    TestPki.clientContext(
                                            stranger.vendorClient("acme", null),
                                            fixture.pki().pki().ca().certificate()),
                                    fixture.port())) {
                                client.send("GET /datasets/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
                                client.readHead();
                            }
                        })
                        .isInstanceOf(IOException.class);
                int expected = attempt;
                await("the handshake's log line")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> handshakeLines(records).size() >= expected);
            }
            List<LogRecord> lines = handshakeLines(records);
            assertThat(lines).as("one line per failed handshake").hasSize(2);
            assertThat(lines).allSatisfy(r -> {
                assertThat(r.getThrown()).isNull();
                assertThat(r.getLevel()).isEqualTo(Level.INFO);
            });
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
        }
    }

    @Test
    void logLevelWarnIsAcceptedAndPrintedAsWarn() {
        assertThat(dev.vendorgate.gateway.cli.LogSetup.levelName(Level.WARNING)).isEqualTo("WARN");
        assertThat(dev.vendorgate.gateway.cli.LogSetup.levelName(Level.SEVERE)).isEqualTo("ERROR");
        assertThat(dev.vendorgate.gateway.cli.LogSetup.levelName(Level.FINE)).isEqualTo("DEBUG");
        dev.vendorgate.gateway.testing.Cli result = dev.vendorgate.gateway.testing.Cli.run(
                "run",
                "--log-level",
                "WARN",
                "--config",
                dir.resolve("absent.yaml").toString());
        // WARN is a level run accepts: what it refuses is the missing file, not the level
        assertThat(result.err())
                .contains("absent.yaml")
                .doesNotContain("--log-level")
                .doesNotContainIgnoringCase("level");
    }

    private static List<LogRecord> handshakeLines(List<LogRecord> records) {
        return records.stream()
                .filter(r -> r.getMessage() != null && r.getMessage().contains("handshake")
                        || r.getThrown() != null
                                && String.valueOf(r.getMessage()).contains("TLS"))
                .toList();
    }
}
