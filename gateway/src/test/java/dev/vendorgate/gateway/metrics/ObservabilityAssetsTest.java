package dev.vendorgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the alert rules shipped in {@code observability/} only use metrics
 * the gateway exposes: a renamed metric must not leave a blank panel or an alert that never fires.
 */
class ObservabilityAssetsTest {

    private static final Path DASHBOARD = Path.of("observability/grafana-dashboard.json");
    private static final Path ALERTS = Path.of("observability/alerts.yaml");
    private static final Pattern METRIC = Pattern.compile("\\b((?:vendorgate|jvm|process)_[a-z0-9_]+)");

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExposed() throws Exception {
        Set<String> exposed;
        try (GatewayFixture fixture = GatewayFixture.start(dir, Policies.WITH_ADMIN)) {
            exposed = fixture.gateway().registry().scrape().stream()
                    .map(MetricSnapshot::getMetadata)
                    .map(m -> m.getPrometheusName())
                    .collect(Collectors.toSet());
        }
        Set<String> used = new TreeSet<>();
        used.addAll(metrics(dashboardExpressions()));
        used.addAll(metrics(alertExpressions()));

        assertThat(used).as("metrics used").hasSizeGreaterThan(15);
        assertThat(used)
                .allSatisfy(
                        name -> assertThat(exposed).as("exposed by the gateway").contains(family(name)));
    }

    @Test
    void everyAlertHasASeverityAndASummaryAndEveryPanelAQuery() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(rule.path("alert").asText());
                assertThat(rule.path("labels").path("severity").asText())
                        .as(rule.path("alert").asText())
                        .isIn("info", "warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            }
        }
        assertThat(alerts)
                .contains(
                        "VendorgateVendorSuspended",
                        "VendorgateRefusalSpike",
                        "VendorgateQuotaNearlyExhausted",
                        "VendorgateClientCertificateExpiring",
                        "VendorgateAuditRefusals",
                        "VendorgateUpstreamErrors");

        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets"))
                        .as(panel.path("title").asText())
                        .isNotEmpty();
            }
        }
    }

    private static List<String> dashboardExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> expressions.add(e.asText()));
        new ObjectMapper()
                .readTree(DASHBOARD.toFile())
                .findValues("definition")
                .forEach(e -> expressions.add(e.asText()));
        return expressions;
    }

    private static List<String> alertExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(ALERTS))
                .findValues("expr")
                .forEach(e -> expressions.add(e.asText()));
        return expressions;
    }

    private static Set<String> metrics(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The metric family a sample name belongs to (counters and histograms add suffixes). */
    private static String family(String name) {
        for (String suffix : List.of("_total", "_bucket", "_count", "_sum", "_created")) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
