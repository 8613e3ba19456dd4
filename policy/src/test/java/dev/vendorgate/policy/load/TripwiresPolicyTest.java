package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import dev.vendorgate.policy.Tripwires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code tripwires} section and vendors' {@code canaries}: what they mean, and the errors an author gets. */
class TripwiresPolicyTest {

    private static Policy parse(String extra) throws Exception {
        String text = Files.readString(Path.of("examples/minimal.yaml")) + extra;
        return PolicyLoader.parse(text, "p.yaml", Path.of("."), false);
    }

    private static List<String> errors(String extra) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> parse(extra));
        assertThat(e).as("refused").isNotNull();
        return e.errors().stream().map(PolicyError::toString).toList();
    }

    @Test
    void withoutTheSectionThereAreNoTripwires() throws Exception {
        Policy policy = parse("");
        assertThat(policy.tripwires()).isEqualTo(Tripwires.NONE);
        assertThat(policy.vendors().get(0).canaries()).isEmpty();
    }

    @Test
    void defaultsAndEveryKindAreRead() throws Exception {
        Policy policy = parse("""
                    canaries: [/datasets/acme-only/, /datasets/x.bin]
                tripwires:
                  canaries: { paths: [/datasets/canary/] }
                  rules:
                    - { id: bulk, kind: bytesOut, factor: 10, floor: 1GiB, action: suspend }
                    - { id: net, kind: newNetwork, action: alert, learningPeriod: 0 }
                    - { id: night, kind: outsideHours, zone: Asia/Tokyo, hours: "09:00-18:00", action: alert }
                  webhook: { url: "https://hooks.example/x" }
                """);
        Tripwires t = policy.tripwires();
        assertThat(policy.vendors().get(0).canaries()).containsExactly("/datasets/acme-only/", "/datasets/x.bin");
        assertThat(t.canaryAction()).isEqualTo(Tripwires.Action.SUSPEND);
        assertThat(t.canaryResponse()).isEqualTo(Tripwires.CanaryResponse.NOT_FOUND);
        assertThat(t.canaries()).containsExactly("/datasets/canary/");
        assertThat(t.rules().get(0).floor()).isEqualTo(1L << 30);
        assertThat(t.rules().get(0).learningPeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(t.rules().get(1).learningPeriod()).isZero();
        assertThat(t.rules().get(1).notSeenFor()).isEqualTo(Duration.ofDays(30));
        Tripwires.WorkingHours hours = t.rules().get(2).hours().orElseThrow();
        assertThat(hours.contains(Instant.parse("2026-12-02T01:00:00Z")))
                .as("10:00 Wednesday in Tokyo")
                .isTrue();
        assertThat(hours.contains(Instant.parse("2026-12-02T10:00:00Z")))
                .as("19:00 in Tokyo")
                .isFalse();
        assertThat(hours.contains(Instant.parse("2026-12-06T01:00:00Z")))
                .as("a Sunday")
                .isFalse();
        assertThat(t.webhook().orElseThrow().retries()).isEqualTo(3);
    }

    @Test
    void mistakesGetClearErrors() {
        assertThat(errors("""
                tripwires:
                  rules:
                    - { id: bulk, kind: bytesOut, factor: 10, action: suspend, vendors: [acme, initech] }
                    - { id: net, kind: newNetwork, action: block, factor: 2 }
                    - { id: night, kind: outsideHours, zone: Mars/Olympus, hours: "20:00-07:00", action: alert }
                    - { id: dup, kind: requests, factor: 3, floor: 10, action: alert }
                    - { id: dup, kind: requests, factor: 3, floor: 10, action: alert }
                  webhook: { url: "hooks.example/secret-token" }
                """))
                .containsExactly(
                        "p.yaml:32:7: tripwires.rules[0].floor: is required",
                        "p.yaml:32:80: tripwires.rules[0].vendors[1]: no vendor 'initech' in this policy",
                        "p.yaml:33:44: tripwires.rules[1].action: 'block' is not one of suspend, alert",
                        "p.yaml:33:59: tripwires.rules[1].factor: does not apply to a rule of kind newNetwork",
                        "p.yaml:34:46: tripwires.rules[2].zone: 'Mars/Olympus' is not a time zone; write a region such as "
                                + "Europe/Berlin or UTC",
                        "p.yaml:34:67: tripwires.rules[2].hours: '20:00-07:00' is not a span of the day such as "
                                + "\"08:00-19:00\" (start before end, 24-hour clock)",
                        "p.yaml:36:7: tripwires.rules[4].id: rule 'dup' is defined twice",
                        "p.yaml:37:19: tripwires.webhook.url: is not an http:// or https:// URL with a host");
        assertThat(errors("""
                    canaries: [datasets/x, /datasets/%2e%2e/y, /datasets/../y]
                """)).hasSize(3).allMatch(e -> e.contains("vendors[0].canaries["));
    }
}
