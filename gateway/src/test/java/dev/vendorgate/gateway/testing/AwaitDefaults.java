package dev.vendorgate.gateway.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility's defaults for every test class (registered by ServiceLoader, see
 * {@code junit-platform.properties}): the first check of a condition is made at once, not after
 * one poll interval, and a wait without its own interval polls every 10 ms. Awaitility's own
 * defaults (a first check after 100 ms, then every 100 ms) added about a tenth of a second to
 * each of the suite's waits, most of which hold at the first look.
 */
public final class AwaitDefaults implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }
}
