package dev.vendorgate.gateway.health;

import dev.vendorgate.gateway.audit.AuditLog;
import dev.vendorgate.gateway.control.ControlStore;
import dev.vendorgate.gateway.runtime.GatewayState;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the gateway should receive traffic: policy loaded, listeners bound, control store
 * reachable, audit trail writable. Checked once a second off the event loops (the checks touch
 * the disk), so probes only read the last result.
 */
public final class Readiness {

    private final GatewayState state;
    private final ControlStore store;
    private volatile boolean listenersBound;
    private volatile Map<String, Boolean> checks = Map.of("policy", false);

    public Readiness(GatewayState state, ControlStore store) {
        this.state = state;
        this.store = store;
    }

    public void listenersBound() {
        listenersBound = true;
        refresh();
    }

    /** Re-evaluates every check; runs on {@code scheduler} every second. */
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, 1, TimeUnit.SECONDS);
    }

    void refresh() {
        Map<String, Boolean> next = new LinkedHashMap<>();
        next.put("policy", state.snapshot() != null);
        next.put("listeners", listenersBound && !state.draining());
        next.put("controlStore", store == null || store.healthy());
        AuditLog audit = state.audit();
        next.put(
                "audit",
                audit == null || audit.healthy() && Files.isDirectory(audit.dir()) && Files.isWritable(audit.dir()));
        checks = Map.copyOf(next);
    }

    /** What the audit trail's check at start found, if it did not verify; null when it did. */
    public String auditWarning() {
        AuditLog audit = state.audit();
        String problem = audit == null ? null : audit.startProblem();
        return problem == null
                ? null
                : "the audit trail did not verify at start (" + problem + "); a new chain "
                        + "segment was started: see the gateway's log and run gateway audit verify";
    }

    /** The last result of each check. */
    public Map<String, Boolean> checks() {
        return checks;
    }

    public boolean ready() {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }
}
