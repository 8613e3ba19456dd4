package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vendorgate.gateway.proxy.EndReason;
import dev.vendorgate.policy.DenyReason;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every refusal the policy can give, and every way an exchange can end, has its problem and its stable code. */
class ProblemTypeTest {

    @ParameterizedTest
    @EnumSource(DenyReason.class)
    void everyPolicyRefusalHasAProblemWithItsCodeAndStatus(DenyReason reason) {
        ProblemType type = ProblemType.of(reason);

        assertThat(type.code()).isEqualTo(reason.code());
        assertThat(type.status().code()).isEqualTo(reason.status());
        assertThat(type.type()).isEqualTo("urn:vendorgate:problem:" + reason.code());
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemEndsAnExchangeWithAKnownReason(ProblemType type) {
        assertThat(EndReason.of(type)).isNotNull();
    }

    @Test
    void codesAreUnique() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::code).collect(Collectors.toSet()))
                .hasSize(ProblemType.values().length);
        Set<String> ends =
                Arrays.stream(EndReason.values()).map(EndReason::code).collect(Collectors.toSet());
        assertThat(ends).hasSize(EndReason.values().length);
    }

    @Test
    void onlyUpstreamFailuresCountAsUpstreamErrors() {
        assertThat(Arrays.stream(EndReason.values())
                        .filter(EndReason::upstreamFault)
                        .map(EndReason::code))
                .allMatch(code -> code.startsWith("upstream-"))
                .doesNotContain("upstream-aborted");
    }
}
