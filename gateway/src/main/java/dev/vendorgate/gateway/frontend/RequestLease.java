package dev.vendorgate.gateway.frontend;

import dev.vendorgate.gateway.audit.AuditEntry;
import dev.vendorgate.gateway.limits.VendorLimiter;
import dev.vendorgate.gateway.runtime.GatewayState;
import java.util.Objects;

/**
 * What one request holds while it is handled: its audit entry, the vendor's in-flight slot
 * (once admission takes it) and the connection's and the gateway's count of exchanges (once it
 * is forwarded). {@link #close} writes the audit record and gives everything back, exactly once,
 * whichever way the request ends: refused, answered locally, forwarded, cut, or failed by an
 * exception. Confined to the request's event loop.
 */
final class RequestLease {

    private final GatewayState state;
    private final VendorConnection connection;
    private final AuditEntry entry;
    private VendorLimiter slot;
    private boolean exchange;
    private boolean closed;

    RequestLease(GatewayState state, VendorConnection connection, AuditEntry entry) {
        this.state = Objects.requireNonNull(state, "state");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.entry = Objects.requireNonNull(entry, "entry");
    }

    AuditEntry entry() {
        return entry;
    }

    /** Takes one of the vendor's in-flight slots; false (and nothing held) when none is free. */
    boolean takeSlot(VendorLimiter limiter) {
        if (slot != null) {
            throw new IllegalStateException("request " + entry.requestId() + " already holds a slot");
        }
        if (!limiter.acquireInFlight()) {
            return false;
        }
        slot = limiter;
        return true;
    }

    /** The request is forwarded: it counts as an exchange of its connection and of the gateway until closed. */
    void exchangeStarted() {
        if (!exchange && !closed) {
            exchange = true;
            connection.exchangeStarted();
            state.exchangeStarted();
        }
    }

    boolean closed() {
        return closed;
    }

    /**
     * Ends the request: writes its audit record and releases what it holds. Later calls do nothing.
     *
     * @return false if the lease was already closed
     */
    boolean close(String decision, String reason, int status, long bytesIn, long bytesOut) {
        if (closed) {
            return false;
        }
        closed = true;
        try {
            entry.write(state.audit(), state.metrics(), decision, reason, status, bytesIn, bytesOut);
        } finally {
            if (slot != null) {
                slot.release();
                slot = null;
            }
            if (exchange) {
                exchange = false;
                connection.exchangeEnded();
                state.exchangeEnded();
            }
        }
        return true;
    }
}
