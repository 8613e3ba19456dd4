package dev.vendorgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard reads right on a fleet: every node reports every vendor's state, so a
 * count must not add the nodes up; a suspended vendor must not render green; one node can be picked.
 */
class GrafanaDashboardTest {

    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws Exception {
        dashboard = new ObjectMapper()
                .readTree(Path.of("observability/grafana-dashboard.json").toFile());
    }

    private static JsonNode panel(String title) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel;
            }
        }
        throw new AssertionError("no panel '" + title + "'");
    }

    /** The color of the threshold step a value falls in. */
    private static String colorAt(JsonNode panel, double value) {
        String color = null;
        for (JsonNode step :
                panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")) {
            if (step.path("value").isNull() || step.path("value").asDouble() <= value) {
                color = step.path("color").asText();
            }
        }
        return color;
    }

    @Test
    void suspendedVendorsCountsEachVendorOnceWhateverTheNumberOfNodes() {
        String expr = panel("Suspended vendors")
                .path("targets")
                .get(0)
                .path("expr")
                .asText()
                .replace(" ", "");
        assertThat(expr)
                .startsWith("count(maxby(vendor)(vendorgate_vendor_suspended{")
                .contains(")==1)");
    }

    @Test
    void aSuspendedCountOfOneIsRedAndTheKillSwitchReadsOnOrOff() {
        JsonNode suspended = panel("Suspended vendors");
        assertThat(colorAt(suspended, 0)).isEqualTo("green");
        assertThat(colorAt(suspended, 1)).isEqualTo("red");
        JsonNode killSwitch = panel("Global kill switch");
        assertThat(colorAt(killSwitch, 0)).isEqualTo("green");
        assertThat(colorAt(killSwitch, 1)).isEqualTo("red");
        JsonNode mapping = killSwitch
                .path("fieldConfig")
                .path("defaults")
                .path("mappings")
                .get(0)
                .path("options");
        assertThat(mapping.path("0").path("text").asText()).isEqualTo("OFF");
        assertThat(mapping.path("1").path("text").asText()).isEqualTo("ON");
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("stat")) {
                assertThat(panel.path("fieldConfig")
                                .path("defaults")
                                .path("thresholds")
                                .path("steps"))
                        .as(panel.path("title").asText() + " has thresholds")
                        .isNotEmpty();
            }
        }
    }

    @Test
    void theVendorStatusPanelIsOneTable() {
        JsonNode status = panel("Vendor status");
        assertThat(status.path("type").asText()).isEqualTo("table");
        assertThat(status.path("targets").size()).isGreaterThan(1);
        assertThat(status.path("transformations").get(0).path("id").asText())
                .as("frames merged into one table")
                .isEqualTo("merge");
        status.path("targets")
                .forEach(t -> assertThat(t.path("format").asText()).isEqualTo("table"));
    }

    @Test
    void anInstanceVariableScopesEveryQuery() {
        List<String> variables = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("instance");
        for (JsonNode expr : dashboard.path("panels").findValues("expr")) {
            assertThat(expr.asText()).as("scoped to $instance").contains("instance=~\"$instance\"");
        }
    }
}
