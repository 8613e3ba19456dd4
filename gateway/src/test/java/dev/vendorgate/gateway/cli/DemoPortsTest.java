package dev.vendorgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.demo.DemoSetup;
import dev.vendorgate.gateway.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo folder made earlier keeps its ports: asking for others is refused with the conflict and the fix. */
class DemoPortsTest {

    @TempDir
    Path dir;

    @Test
    void portFlagsThatAReusedPolicyDoesNotHaveAreRefusedNotIgnored() throws Exception {
        DemoSetup.prepare(dir, new DemoSetup.Ports(18443, 19443, 19090, 18080));
        String policy = Files.readString(dir.resolve("gateway.yaml"));

        Cli result = Cli.run("demo", "--dir", dir.toString(), "--vendor-port", "28443", "--metrics-port", "29090");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--vendor-port 28443 (the policy has 18443)")
                .contains("--metrics-port 29090 (the policy has 19090)").contains("new --dir")
                .doesNotContain("--admin-port");
        assertThat(Files.readString(dir.resolve("gateway.yaml"))).as("the policy is left as it was").isEqualTo(policy);
    }
}
