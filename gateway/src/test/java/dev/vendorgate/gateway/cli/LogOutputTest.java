package dev.vendorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs in JSON are one object per line, the startup lines say what runs where, and no token or
 * private key ever appears in them, even at the most verbose level and when requests fail.
 */
class LogOutputTest {

    @TempDir
    Path dir;

    @Test
    void jsonLinesWithAStartupSummaryAndNoSecretsAtFineLevel() throws Exception {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            private final LogSetup.JsonFormatter formatter = new LogSetup.JsonFormatter();

            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.FINE.intValue()) {
                    synchronized (lines) {
                        lines.add(formatter.format(record));
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        Level before = root.getLevel();
        Logger vendorgate = Logger.getLogger("dev.vendorgate");
        vendorgate.setLevel(Level.FINE);
        root.addHandler(capture);
        String token;
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.OBSERVED)) {
            IssuedCertificate acme = fixture.pki().vendor("acme", "pipeline");
            HttpClient client = fixture.client(acme, HttpClient.Version.HTTP_1_1);
            HttpResponse<String> issued = client.send(
                    HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            token = new ObjectMapper()
                    .readTree(issued.body())
                    .path("access_token")
                    .asText();
            assertThat(token).isNotEmpty();
            // a refused request carrying the token, and one with a tampered token
            client.send(
                    HttpRequest.newBuilder(fixture.uri("/nowhere"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            client.send(
                    HttpRequest.newBuilder(fixture.uri("/datasets/a"))
                            .header("Authorization", "Bearer " + token + "x")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            fixture.admin(
                    fixture.pki().pki().operator("oncall"),
                    "POST",
                    "/admin/vendors/acme/suspend",
                    "{\"reason\":\"test\"}");
        } finally {
            root.removeHandler(capture);
            root.setLevel(before);
            vendorgate.setLevel(null);
        }
        String keys = String.join("", Files.readAllLines(dir.resolve("server.key")));
        String signingKeyMaterial = Files.list(dir.resolve("keys"))
                .map(p -> {
                    try {
                        return new ObjectMapper().readTree(p.toFile()).path("d").asText();
                    } catch (Exception e) {
                        return "";
                    }
                })
                .filter(d -> !d.isEmpty())
                .findFirst()
                .orElseThrow();

        assertThat(lines).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n" + "{");
            JsonNode node = json.readTree(line);
            assertThat(node.path("time").asText()).isNotEmpty();
            assertThat(node.path("message").asText())
                    .doesNotContain(token, token.split("\\.")[2], keys.substring(30, 70), signingKeyMaterial);
        }
        String all = String.join("", lines);
        assertThat(all).contains("vendor listener on", "transport", "TLS", "metrics listener on", "vendors", "routes");
    }
}
