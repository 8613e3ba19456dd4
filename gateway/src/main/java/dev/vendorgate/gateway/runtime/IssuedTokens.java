package dev.vendorgate.gateway.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens this node issued to each vendor lately, newest first: id, client, scope, issue and
 * expiry times, so an operator can pick one to revoke. Never the token itself. Recorded once per
 * issuance; bounded: the {@value #MAX_PER_VENDOR} most recent per vendor.
 */
public final class IssuedTokens {

    /** How many issued tokens each vendor's list keeps; the oldest goes first. */
    public static final int MAX_PER_VENDOR = 200;

    /** One token as it was issued. */
    public record Issued(String jti, String clientId, String scope, Instant issuedAt, Instant expiresAt) {
        public Issued {
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(issuedAt, "issuedAt");
        }
    }

    private final int cap;
    private final Map<String, Deque<Issued>> byVendor = new ConcurrentHashMap<>();

    public IssuedTokens() {
        this(MAX_PER_VENDOR);
    }

    IssuedTokens(int cap) {
        this.cap = cap;
    }

    /** Records a token issued to {@code vendor}. */
    public void issued(String vendor, Issued token) {
        Deque<Issued> list = byVendor.computeIfAbsent(vendor, v -> new ArrayDeque<>());
        synchronized (list) {
            list.addFirst(token);
            while (list.size() > cap) {
                list.removeLast();
            }
        }
    }

    /** The vendor's tokens, newest first (a copy). */
    public List<Issued> of(String vendor) {
        Deque<Issued> list = byVendor.get(vendor);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }
}
