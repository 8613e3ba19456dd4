package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.control.ControlChange;
import dev.vendorgate.gateway.control.ControlState;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /admin/revocations}: every revocation in force, in the shape {@code POST} takes
 * ({@code kind}, {@code subject}), so that an operator can see what a revoke did and what is left.
 */
final class RevocationsView {

    private RevocationsView() {}

    static ObjectNode of(ControlState control, Instant now) {
        ControlState.Revocations all = control.revocations();
        ObjectNode out = RequestBody.JSON.createObjectNode();
        ArrayNode list = out.putArray("revocations");
        new TreeMap<>(all.tokens()).forEach((jti, expires) -> {
            if (expires.isAfter(now)) {
                list.addObject()
                        .put("kind", ControlChange.RevocationKind.TOKEN.word())
                        .put("subject", jti)
                        .putNull("since")
                        .put("expires", expires.equals(Instant.MAX) ? null : expires.toString());
            }
        });
        add(list, ControlChange.RevocationKind.CLIENT, all.clients());
        add(list, ControlChange.RevocationKind.VENDOR, all.vendors());
        add(list, ControlChange.RevocationKind.KEY, all.keys());
        return out;
    }

    private static void add(ArrayNode list, ControlChange.RevocationKind kind, Map<String, Instant> since) {
        new TreeMap<>(since)
                .forEach((subject, at) -> list.addObject()
                        .put("kind", kind.word())
                        .put("subject", subject)
                        .put("since", at.toString())
                        .putNull("expires"));
    }
}
