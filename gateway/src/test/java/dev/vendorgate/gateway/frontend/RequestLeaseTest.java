package dev.vendorgate.gateway.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.runtime.GatewayState;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.TestPki;
import dev.vendorgate.gateway.testing.TrailRecords;
import dev.vendorgate.policy.HttpSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A defect between admission and the exchange (a stage that throws after the in-flight slot is
 * taken, as the upstream assertion's signing once could) must not leak the slot or lose the
 * request's audit record: the request's lease gives both back, and the vendor gets a 500.
 */
class RequestLeaseTest {

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private GatewayState state;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        Files.writeString(pki.dir().resolve("idp-jwks.json"), "{\"keys\":[]}");
        fixture = GatewayFixture.start(
                pki,
                Policies.WITH_TOKENS,
                Map.of("IDP_JWKS", "idp-jwks.json"),
                GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(1)));
        state = fixture.gateway().state();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theStagesRunInTheDocumentedOrder() {
        HttpSettings http = HttpSettings.DEFAULTS;
        assertThat(new Admission(state, http, fixture.gateway().tripwires()).stageNames())
                .containsExactly(
                        "lifecycle",
                        "identity",
                        "path",
                        "rate",
                        "overload",
                        "local-endpoints",
                        "access",
                        "token",
                        "body-size",
                        "quota",
                        "capacity");
    }

    @Test
    void aFailureAfterTheSlotIsTakenLeaksNothingAndIsRecorded() throws Exception {
        HttpSettings http = HttpSettings.DEFAULTS;
        List<AdmissionStage> stages = new ArrayList<>(Admission.standard(state, http));
        stages.add(new AdmissionStage() {
            @Override
            public String name() {
                return "defect";
            }

            @Override
            public Admission.Verdict check(AdmissionContext request) {
                throw new IllegalStateException("a defect after the slot was taken");
            }
        });
        IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
        EmbeddedChannel channel =
                vendorChannel(acme, new Admission(state, http, fixture.gateway().tripwires(), stages));

        String response = exchange(channel, "GET /open/one HTTP/1.1\r\nHost: gw\r\n\r\n");

        assertThat(response)
                .startsWith("HTTP/1.1 500")
                .contains("internal-error")
                .contains("connection: close");
        assertThat(state.limiters().of("acme").inFlight())
                .as("the in-flight slot was given back")
                .isZero();
        assertThat(channel.isOpen())
                .as("a connection whose state cannot be trusted is closed")
                .isFalse();
        JsonNode record = awaitRequestRecord("/open/one");
        assertThat(record).as("the request's audit record").isNotNull();
        assertThat(record.path("reason").asText()).isEqualTo("internal-error");
        assertThat(record.path("status").asInt()).isEqualTo(500);
        assertThat(record.path("vendor").asText()).isEqualTo("acme");
    }

    @Test
    void everyWayARequestEndsGivesItsSlotBack() throws Exception {
        HttpSettings http = HttpSettings.DEFAULTS;
        IssuedCertificate acme = fixture.pki().vendor("acme", "etl");
        EmbeddedChannel channel =
                vendorChannel(acme, new Admission(state, http, fixture.gateway().tripwires()));

        // refused by the policy, refused at the path, a local endpoint, and one whose body never comes (closed)
        assertThat(exchange(channel, "GET /models/x HTTP/1.1\r\nHost: gw\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertThat(exchange(channel, "GET /datasets/../../x HTTP/1.1\r\nHost: gw\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(state.limiters().of("acme").inFlight()).isZero();
        channel.writeInbound(bytes("POST /oauth2/token HTTP/1.1\r\nHost: gw\r\nContent-Length: 40\r\n\r\ngrant"));
        channel.runPendingTasks();
        channel.close();
        channel.runPendingTasks();

        assertThat(state.limiters().of("acme").inFlight())
                .as("the token request's slot, after the close")
                .isZero();
    }

    private EmbeddedChannel vendorChannel(IssuedCertificate client, Admission admission) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(VendorConnection.KEY)
                .set(new VendorConnection(new X509Certificate[] {client.certificate()}, channel));
        channel.pipeline().addLast(new HttpServerCodec(), new VendorRequestHandler(state, admission, false));
        return channel;
    }

    private static String exchange(EmbeddedChannel channel, String request) {
        channel.writeInbound(bytes(request));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf piece = channel.readOutbound(); piece != null; piece = channel.readOutbound()) {
            out.append(piece.toString(StandardCharsets.UTF_8));
            piece.release();
        }
        return out.toString();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private JsonNode awaitRequestRecord(String path) throws Exception {
        // the trail is written off the request path
        return await("the audit record of " + path)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> TrailRecords.of(dir.resolve("audit"), "request").stream()
                                .filter(r -> path.equals(r.path("path").asText()))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }
}
