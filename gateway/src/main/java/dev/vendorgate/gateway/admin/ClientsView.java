package dev.vendorgate.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vendorgate.gateway.runtime.ClientSightings;
import java.util.List;

/**
 * A vendor's clients and certificates as this node has seen them ({@code GET
 * /admin/vendors/ID/clients}): client id, SHA-256 fingerprint, expiry, first and last seen,
 * connections made and open now; most recently seen first.
 */
final class ClientsView {

    private ClientsView() {}

    static ObjectNode of(ClientSightings sightings, String vendor, String node) {
        List<ClientSightings.Sighting> seen = sightings.of(vendor);
        ObjectNode out = RequestBody.JSON.createObjectNode();
        out.put("vendor", vendor)
                .put("node", node)
                .put("limit", ClientSightings.MAX_PER_VENDOR)
                .put("full", seen.size() >= ClientSightings.MAX_PER_VENDOR);
        ArrayNode clients = out.putArray("clients");
        for (ClientSightings.Sighting s : seen) {
            clients.addObject()
                    .put("clientId", s.clientId())
                    .put("sha256", s.sha256())
                    .put("notAfter", s.notAfter() == null ? null : s.notAfter().toString())
                    .put("firstSeen", s.firstSeen().toString())
                    .put("lastSeen", s.lastSeen().toString())
                    .put("connections", s.connections())
                    .put("open", s.open());
        }
        return out;
    }
}
