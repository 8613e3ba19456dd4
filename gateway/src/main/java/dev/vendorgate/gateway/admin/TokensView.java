package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.control.ControlState;
import dev.vendorgate.gateway.runtime.IssuedTokens;
import java.time.Instant;

/**
 * The tokens this node issued to a vendor lately ({@code GET /admin/vendors/ID/tokens}), newest
 * first, each with whether it would be accepted now: {@code valid}, {@code expired},
 * {@code revoked} (by id, by its client or by its vendor, a suspension included) or
 * {@code cut-off} (issued before a breach cut-off). Ids and times only, never a token.
 */
final class TokensView {

    private TokensView() {}

    static ObjectNode of(IssuedTokens tokens, String vendor, ControlState control, String node, Instant now) {
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("vendor", vendor).put("node", node).put("limit", IssuedTokens.MAX_PER_VENDOR);
        ArrayNode list = out.putArray("tokens");
        for (IssuedTokens.Issued t : tokens.of(vendor)) {
            list.addObject()
                    .put("jti", t.jti())
                    .put("clientId", t.clientId())
                    .put("scope", t.scope())
                    .put("issuedAt", t.issuedAt().toString())
                    .put(
                            "expiresAt",
                            t.expiresAt() == null ? null : t.expiresAt().toString())
                    .put("status", status(t, vendor, control, now));
        }
        return out;
    }

    /** As the token verifier decides it (a cut-off at or after the issue time, to the millisecond, revokes). */
    static String status(IssuedTokens.Issued t, String vendor, ControlState control, Instant now) {
        long issued = t.issuedAt().toEpochMilli();
        Instant breach = control.credentialCutoff(vendor);
        if (breach != null && issued < breach.toEpochMilli()) {
            return "cut-off";
        }
        if (control.tokenRevoked(t.jti())
                || atOrBefore(issued, control.clientCutoff(t.clientId()))
                || atOrBefore(issued, control.vendorCutoff(vendor))) {
            return "revoked";
        }
        if (t.expiresAt() != null && !t.expiresAt().isAfter(now)) {
            return "expired";
        }
        return "valid";
    }

    private static boolean atOrBefore(long issuedMillis, Instant cutoff) {
        return cutoff != null && issuedMillis <= cutoff.toEpochMilli();
    }
}
