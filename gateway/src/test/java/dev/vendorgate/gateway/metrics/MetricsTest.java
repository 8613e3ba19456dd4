package dev.vendorgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import dev.vendorgate.gateway.testing.Scrape;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ops see on {@code /metrics} after real traffic of each kind, and what {@code /readyz} says. */
class MetricsTest {

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private IssuedCertificate acme;
    private IssuedCertificate globex;

    @BeforeEach
    void start() {
        fixture = GatewayFixture.start(dir, Policies.OBSERVED);
        acme = fixture.pki().vendor("acme", "pipeline");
        globex = fixture.pki().vendor("globex", null);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private int metricsPort() {
        return fixture.gateway().metricsAddress().getPort();
    }

    private int status(IssuedCertificate certificate, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return fixture.client(certificate, HttpClient.Version.HTTP_1_1)
                .send(request.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private String token(IssuedCertificate certificate) throws Exception {
        HttpResponse<String> response = fixture.client(certificate, HttpClient.Version.HTTP_1_1)
                .send(
                        HttpRequest.newBuilder(fixture.uri("/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("access_token").asText();
    }

    @Test
    void countsEveryKindOfRequestByVendorRouteStatusAndReason() throws Exception {
        assertThat(status(acme, "/datasets/a", null)).isEqualTo(200);
        assertThat(status(acme, "/datasets/b", null)).isEqualTo(200);
        assertThat(status(acme, "/bytes/5000", null)).isEqualTo(200);
        assertThat(status(acme, "/nowhere", null)).isEqualTo(404);
        assertThat(status(globex, "/bytes/1", null)).isEqualTo(403);
        assertThat(status(fixture.pki().vendor("initech", null), "/datasets/x", null))
                .isEqualTo(403);
        assertThat(status(acme, "/dead/x", null)).isEqualTo(502);
        assertThat(status(acme, "/scoped/x", null)).isEqualTo(401);
        assertThat(status(acme, "/scoped/x", "not.a.token")).isEqualTo(401);
        assertThat(status(acme, "/scoped/x", token(acme))).isEqualTo(200);
        assertThat(status(globex, "/datasets/g", null)).isEqualTo(200);
        assertThat(status(globex, "/datasets/g", null)).isEqualTo(429);

        Scrape scrape = Scrape.of(metricsPort());

        assertThat(scrape.value(
                        "vendorgate_requests_total", "vendor", "acme", "route", "dataset-read", "status_class", "2xx"))
                .isEqualTo(2);
        assertThat(scrape.value(
                        "vendorgate_requests_total", "vendor", "acme", "route", "(none)", "status_class", "4xx"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_requests_total", "vendor", "acme", "route", "dead", "status_class", "5xx"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_requests_total", "vendor", "(none)", "status_class", "4xx"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "acme", "reason", "no-route"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "globex", "reason", "route-not-granted"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "(none)", "reason", "unknown-identity"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "globex", "reason", "rate-limited"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "acme", "reason", "token-missing"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "acme", "reason", "upstream-unavailable"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_token_verifications_total", "outcome", "token-malformed"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_token_verifications_total", "outcome", "valid"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_tokens_issued_total", "vendor", "acme"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_upstream_errors_total", "upstream", "dead", "kind", "upstream-unavailable"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_upstream_response_seconds_count", "upstream", "data"))
                .isEqualTo(5);
        assertThat(scrape.value("vendorgate_bytes_total", "vendor", "acme", "direction", "out"))
                .isGreaterThanOrEqualTo(5000);
        assertThat(scrape.value("vendorgate_quota_used_bytes", "vendor", "acme", "direction", "out"))
                .isGreaterThanOrEqualTo(5000);
        assertThat(scrape.value("vendorgate_quota_limit_bytes", "vendor", "acme", "direction", "out"))
                .isEqualTo(1024.0 * 1024 * 1024);
        assertThat(scrape.has("vendorgate_quota_limit_bytes", "vendor", "globex"))
                .isFalse();
        assertThat(scrape.value("vendorgate_request_duration_seconds_count", "vendor", "acme", "route", "dataset-read"))
                .isEqualTo(2);
        assertThat(scrape.value("vendorgate_vendor_suspended", "vendor", "acme"))
                .isZero();
        // no path, client id or token ever becomes a label value
        assertThat(scrape.text()).doesNotContain("/datasets/a", "pipeline", "not.a.token");
        assertThat(scrape.samples()).allSatisfy(s -> assertThat(s.labels()).doesNotContainKeys("path", "client"));
    }

    @Test
    void showsSuspensionsConnectionsAndHandshakeFailures() throws Exception {
        HttpClient keptOpen = fixture.client(acme, HttpClient.Version.HTTP_1_1);
        assertThat(fixture.get(keptOpen, "/datasets/a").statusCode()).isEqualTo(200);
        assertThat(Scrape.of(metricsPort()).value("vendorgate_connections", "vendor", "acme"))
                .isEqualTo(1);

        HttpResponse<String> suspended = fixture.admin(
                fixture.pki().pki().operator("oncall"),
                "POST",
                "/admin/vendors/globex/suspend",
                "{\"reason\":\"test\"}");
        assertThat(suspended.statusCode()).isEqualTo(200);
        assertThat(status(globex, "/datasets/g", null)).isEqualTo(403);
        // no client certificate; plain HTTP on the TLS port
        assertThatThrownBy(() -> status(null, "/datasets/a", null)).isInstanceOf(IOException.class);
        try (Socket plain = new Socket("127.0.0.1", fixture.port())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.getInputStream().readAllBytes();
        }

        Scrape scrape = Scrape.of(metricsPort());

        assertThat(scrape.value("vendorgate_vendor_suspended", "vendor", "globex"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_vendor_suspended", "vendor", "acme"))
                .isZero();
        assertThat(scrape.value("vendorgate_global_suspended")).isZero();
        assertThat(scrape.value("vendorgate_refusals_total", "vendor", "globex", "reason", "vendor-suspended"))
                .isEqualTo(1);
        assertThat(scrape.value(
                        "vendorgate_tls_handshake_failures_total", "listener", "vendor", "reason", "no_certificate"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("vendorgate_tls_handshake_failures_total", "listener", "vendor", "reason", "not_tls"))
                .isEqualTo(1);
        assertThat(scrape.value("vendorgate_audit_healthy")).isEqualTo(1);
        assertThat(scrape.has("vendorgate_audit_queue_depth")).isTrue();
        assertThat(scrape.value("vendorgate_audit_records_written_total")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
        assertThat(scrape.has("process_cpu_seconds_total")).isTrue();
        assertThat(scrape.has("vendorgate_build_info")).isTrue();
    }

    @Test
    void certificateExpiryGaugesMatchTheCertificates() throws Exception {
        Instant notAfter = Instant.now().plus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        IssuedCertificate expiring =
                fixture.pki().pki().vendorClient("acme", "expiring", new CertificateBuilder().notAfter(notAfter));
        assertThat(status(expiring, "/datasets/a", null)).isEqualTo(200);
        assertThat(status(acme, "/datasets/a", null)).isEqualTo(200);

        Scrape scrape = Scrape.of(metricsPort());

        double expected = Duration.between(Instant.now(), notAfter).toSeconds();
        assertThat(scrape.value(
                        "vendorgate_client_certificate_expiry_seconds",
                        "vendor",
                        "acme",
                        "cert_sha256",
                        sha256(expiring)))
                .isCloseTo(expected, within(60.0));
        assertThat(scrape.samples().stream()
                        .filter(s -> s.name().equals("vendorgate_client_certificate_expiry_seconds")))
                .hasSize(2);
        double server = Duration.between(
                        Instant.now(),
                        fixture.pki().server().certificate().getNotAfter().toInstant())
                .toSeconds();
        assertThat(scrape.value("vendorgate_server_certificate_expiry_seconds", "listener", "vendor"))
                .isCloseTo(server, within(60.0));
        assertThat(scrape.has("vendorgate_server_certificate_expiry_seconds", "listener", "admin"))
                .isTrue();
    }

    private static String sha256(IssuedCertificate certificate) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(certificate.certificate().getEncoded());
        return java.util.HexFormat.of().formatHex(digest);
    }

    @Test
    void readyzFailsWhileTheAuditFolderIsNotWritableAndRecovers() throws Exception {
        assertThat(readyz().statusCode()).isEqualTo(200);
        Path audit = fixture.gateway().state().audit().dir();
        Path moved = audit.resolveSibling("audit-moved");
        Files.move(audit, moved);
        Files.writeString(audit, "not a folder");
        try {
            HttpResponse<String> notReady = await(503);
            assertThat(notReady.body()).contains("\"audit\":false");
        } finally {
            Files.delete(audit);
            Files.move(moved, audit);
        }
        assertThat(await(200).body()).contains("\"ready\":true");
        assertThat(healthz().statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> await(int status) {
        return org.awaitility.Awaitility.await("/readyz answers " + status)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(this::readyz, response -> response.statusCode() == status);
    }

    private HttpResponse<String> readyz() throws Exception {
        return plain("/readyz", Map.of());
    }

    private HttpResponse<String> healthz() throws Exception {
        return plain("/healthz", Map.of());
    }

    private HttpResponse<String> plain(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort() + path));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreNotServedOnTheVendorListener() throws Exception {
        HttpResponse<String> response = fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/metrics");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("vendorgate_requests_total", "jvm_");
        assertThat(fixture.get(fixture.client(acme, HttpClient.Version.HTTP_1_1), "/healthz")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void servesOpenMetricsAndProtobufWithNativeHistogramsWhenAsked() throws Exception {
        assertThat(status(acme, "/datasets/a", null)).isEqualTo(200);

        HttpResponse<String> openMetrics =
                plain("/metrics", Map.of("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
        assertThat(openMetrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).contains("vendorgate_requests_total{").endsWith("# EOF\n");

        HttpResponse<InputStream> protobuf = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort() + "/metrics"))
                                .header(
                                        "Accept",
                                        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(protobuf.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/vnd.google.protobuf"));
        var families = new java.util.HashMap<
                String,
                io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily>();
        try (InputStream in = protobuf.body()) {
            io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily family;
            while ((family = io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics
                            .MetricFamily.parseDelimitedFrom(in))
                    != null) {
                families.put(family.getName(), family);
            }
        }
        var histogram =
                families.get("vendorgate_request_duration_seconds").getMetric(0).getHistogram();
        assertThat(histogram.getBucketCount()).as("classic buckets").isGreaterThan(0);
        assertThat(histogram.hasSchema()).as("native histogram").isTrue();
        assertThat(histogram.getPositiveSpanCount() + histogram.getZeroCount()).isGreaterThan(0);
    }
}
