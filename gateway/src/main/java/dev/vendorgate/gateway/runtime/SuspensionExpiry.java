package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.audit.AdminRecord;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.Suspension;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Records the end of a timed suspension ({@code until}) in the audit trail when it passes, so a
 * vendor's access coming back is as visible as its going. Checked every second off the event
 * loops; a suspension that expired while the gateway was stopped is not recorded again.
 */
public final class SuspensionExpiry {

    private static final Logger LOG = Logger.getLogger(SuspensionExpiry.class.getName());

    private final GatewayState state;
    private final Set<Suspension> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> onProbation = ConcurrentHashMap.newKeySet();

    public SuspensionExpiry(GatewayState state) {
        this.state = state;
        Instant now = state.clock().instant();
        state.control().suspensions().values().stream()
                .filter(s -> !s.activeAt(now))
                .forEach(seen::add);
    }

    /** Records every suspension, and every probation, that has expired since the last check. */
    public void check() {
        Instant now = state.clock().instant();
        for (dev.vendorgate.policy.Vendor vendor :
                state.snapshot().access().policy().vendors()) {
            boolean on = state.control().probation(vendor.id(), now).isPresent();
            if (on) {
                onProbation.add(vendor.id());
            } else if (onProbation.remove(vendor.id())) {
                state.reapplyLimits(); // ended by its expiry, or by an operator (then already applied)
                if (state.audit() != null && !state.control().probations().containsKey(vendor.id())) {
                    continue;
                }
                if (state.audit() != null) {
                    state.audit()
                            .admin(new AdminRecord(
                                    now,
                                    null,
                                    "gateway",
                                    null,
                                    "probation-expired",
                                    vendor.id(),
                                    null,
                                    "ok",
                                    "full access again"));
                }
            }
        }
        for (Map.Entry<String, Suspension> entry : state.control().suspensions().entrySet()) {
            Suspension suspension = entry.getValue();
            if (suspension.until() != null && !suspension.activeAt(now) && seen.add(suspension)) {
                String vendor = entry.getKey();
                String who = vendor.equals(ControlChange.EVERY_VENDOR) ? "all vendors" : "vendor '" + vendor + "'";
                LOG.warning(() -> "the suspension of " + who + " by " + suspension.operator() + " ended at "
                        + suspension.until() + " (its set expiry)");
                if (state.audit() != null) {
                    state.audit()
                            .admin(new AdminRecord(
                                    now,
                                    null,
                                    "gateway",
                                    null,
                                    "suspension-expired",
                                    vendor,
                                    suspension.reason(),
                                    "ok",
                                    "suspended " + suspension.since() + " by " + suspension.operator()
                                            + (suspension.readOnly() ? " (read-only)" : "") + ", until "
                                            + suspension.until()));
                }
            }
        }
    }
}
