package dev.vendorgate.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The list of issued tokens keeps the newest per vendor, within its bound. */
class IssuedTokensTest {

    @Test
    void aVendorMintingManyTokensKeepsOnlyTheNewest() {
        IssuedTokens tokens = new IssuedTokens();
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 500; i++) {
            tokens.issued("acme", new IssuedTokens.Issued("jti-" + i, "c", "s", t0.plusSeconds(i), null));
        }
        tokens.issued("globex", new IssuedTokens.Issued("g", "c", "s", t0, null));
        assertThat(tokens.of("acme")).hasSize(IssuedTokens.MAX_PER_VENDOR);
        assertThat(tokens.of("acme").get(0).jti()).isEqualTo("jti-499");
        assertThat(tokens.of("acme").get(IssuedTokens.MAX_PER_VENDOR - 1).jti()).isEqualTo("jti-300");
        assertThat(tokens.of("globex")).hasSize(1);
        assertThat(tokens.of("initech")).isEmpty();
    }
}
