package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.RawH2Client;
import dev.vendorgate.gateway.testing.RawHttpsClient;
import dev.vendorgate.gateway.testing.TestPki;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vendor cannot pin the listener's connection slots: a body that never completes is cut at
 * the idle timeout (local endpoints too, over HTTP/1.1 and HTTP/2), PINGs alone do not keep an
 * HTTP/2 connection, one address has its own cap, and an HTTP/2 :path meets the request-line limit.
 */
class HeldConnectionsTest {

    private static final String TOKEN_HEAD = "POST /oauth2/token HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type";

    @TempDir
    Path dir;

    GatewayFixture fixture;
    IssuedCertificate acme;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(dir.resolve("idp-jwks.json"), "{\"keys\":[]}");
        String policy = Policies.WITH_TOKENS.replace(
                "    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }\n  admin:",
                "    tls: { cert: server.pem, key: server.key, clientCa: [ca.pem] }\n"
                        + "    http: { idleTimeout: 1s, maxConnectionsPerAddress: 4 }\n  admin:");
        assertThat(policy).contains("maxConnectionsPerAddress");
        fixture = GatewayFixture.start(
                pki,
                policy,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        acme = pki.vendor("acme", "etl");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aTokenRequestWhoseBodyNeverCompletesIsCutOverHttp1() throws Exception {
        try (RawHttpsClient client = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
            client.send(TOKEN_HEAD);
            long start = System.nanoTime();

            RawHttpsClient.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(408);
            client.readBody(head.contentLength());
            assertThat(client.closedByServer()).isTrue();
            assertThat(System.nanoTime() - start).as("cut, not held").isLessThan(TimeUnit.SECONDS.toNanos(9));
        }
    }

    @Test
    void aTokenRequestWhoseBodyNeverCompletesIsCutOverHttp2() throws Exception {
        try (RawH2Client client = new RawH2Client(fixture.pki().clientContext(acme), fixture.port())) {
            Http2Headers headers = RawH2Client.request("POST", "/oauth2/token")
                    .add("content-type", "application/x-www-form-urlencoded")
                    .add("content-length", "100");
            client.headers(1, headers, false);
            client.data(1, "grant_type".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);

            RawH2Client.Frame answer = client.readUntil(
                    f -> f.streamId() == 1 && (f.type() == RawH2Client.HEADERS || f.type() == RawH2Client.RST_STREAM));

            assertThat(answer).as("the stream is answered, not held").isNotNull();
            if (answer.type() == RawH2Client.HEADERS) {
                assertThat(client.status(answer)).isEqualTo(408);
            }
        }
    }

    @Test
    void pingsAloneDoNotKeepAnHttp2ConnectionOpenPastTheIdleTimeout() throws Exception {
        try (RawH2Client client = new RawH2Client(fixture.pki().clientContext(acme), fixture.port())) {
            // a PING every 200 ms, its answer read as a well-behaved client does, until the connection is closed
            await("closed while PINGs kept coming")
                    .atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        try {
                            client.frame(RawH2Client.PING, 0, 0, new byte[8]);
                            return client.readUntil(
                                            f -> f.type() == RawH2Client.PING && (f.flags() & RawH2Client.ACK) != 0)
                                    == null;
                        } catch (java.io.IOException e) {
                            return true;
                        }
                    });
        }
    }

    @Test
    void anHttp2PathOverTheRequestLineLimitIsRefusedAsOverHttp1() throws Exception {
        try (RawH2Client client = new RawH2Client(fixture.pki().clientContext(acme), fixture.port())) {
            client.headers(1, RawH2Client.request("GET", "/open/" + "a".repeat(12_000)), true);

            RawH2Client.Frame answer = client.readUntil(f -> f.streamId() == 1 && f.type() == RawH2Client.HEADERS);

            assertThat(answer).isNotNull();
            assertThat(client.status(answer)).isEqualTo(414);
            assertThat(fixture.upstream().received()).noneMatch(r -> r.uri().startsWith("/open/aaaa"));
        }
    }

    @Test
    void oneAddressCannotTakeEverySlot() throws Exception {
        List<RawHttpsClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port()));
            }
            boolean refused;
            try (RawHttpsClient fifth = new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                fifth.send("GET /open/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
                refused = fifth.closedByServer();
            } catch (java.io.IOException e) {
                refused = true;
            }
            assertThat(refused).as("a fifth connection from the same address").isTrue();

            held.remove(0).close();
            // the closed one is released a moment after
            Integer status = await("a slot freed is usable again")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> {
                                try (RawHttpsClient again =
                                        new RawHttpsClient(fixture.pki().clientContext(acme), fixture.port())) {
                                    again.send("GET /open/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
                                    return again.readHead().status();
                                } catch (java.io.IOException e) {
                                    return null;
                                }
                            },
                            java.util.Objects::nonNull);
            assertThat(status).as("a slot freed is usable again").isEqualTo(200);
        } finally {
            for (RawHttpsClient client : held) {
                client.close();
            }
        }
    }
}
