package dev.vendorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.demo.DemoSetup;
import dev.vendorgate.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo folder made earlier is reused with the ports asked for: its policy is rewritten to them
 * (the jar tests run the demo again on new ports: DemoIT, AuditTrailIT).
 */
class DemoPortsTest {

    @TempDir
    Path dir;

    @Test
    void aReusedPolicyIsRewrittenToThePortsAskedFor() throws Exception {
        DemoSetup.prepare(dir, new DemoSetup.Ports(18443, 19443, 19090, 18080));
        Path file = dir.resolve("gateway.yaml");

        String rewritten = DemoCommand.withPorts(
                Files.readString(file),
                List.of(
                        new DemoCommand.PortChange("--vendor-port", 18443, 28443),
                        new DemoCommand.PortChange("--upstream-port", 18080, 28080)));
        Files.writeString(file, rewritten);
        Policy policy = PolicyFiles.load(file, new java.io.PrintWriter(System.err));

        assertThat(policy).isNotNull();
        assertThat(policy.listeners().vendor().bind().port()).isEqualTo(28443);
        assertThat(policy.listeners().admin().orElseThrow().bind().port())
                .as("not asked: kept")
                .isEqualTo(19443);
        assertThat(policy.upstreams().values().iterator().next().port()).isEqualTo(28080);
        assertThat(rewritten)
                .contains("https://localhost:28443\"")
                .doesNotContain("18443")
                .doesNotContain("18080");
    }
}
