package dev.vendorgate.gateway.tripwire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.gateway.testing.GatewayFixture;
import dev.vendorgate.gateway.testing.Policies;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Policies and polling shared by the tripwire tests. */
final class TripwireSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private TripwireSupport() {}

    /** {@link Policies#WITH_ADMIN} with canaries for acme and the given {@code tripwires:} section. */
    static String policy(String tripwires) {
        String acmeRoutes = "    routes: [dataset-read, annotation-write, hang, slow, bytes, close, dead]\n";
        String policy = Policies.WITH_ADMIN.replace(
                acmeRoutes, acmeRoutes + "    canaries: [/datasets/canary/, /datasets/decoy.bin]\n");
        if (policy.equals(Policies.WITH_ADMIN)) {
            throw new IllegalStateException("the shared policy changed: acme's routes line not found");
        }
        return policy + tripwires;
    }

    static JsonNode vendor(GatewayFixture fixture, IssuedCertificate operator, String id) throws Exception {
        return JSON.readTree(
                fixture.admin(operator, "GET", "/admin/vendors/" + id, null).body());
    }

    /** Polls the admin API for {@code id} until {@code condition} holds, up to {@code timeout}; the last answer. */
    static JsonNode awaitVendor(
            GatewayFixture fixture,
            IssuedCertificate operator,
            String id,
            Duration timeout,
            Predicate<JsonNode> condition)
            throws Exception {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        last.set(vendor(fixture, operator, id));
                        return condition.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            // the caller's assertions on the last answer say what was wrong
        }
        return last.get();
    }
}
