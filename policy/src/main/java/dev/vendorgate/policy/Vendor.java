package dev.vendorgate.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An outside company whose clients reach the lab's data through the gateway.
 *
 * @param id short stable name used in grants, metrics, audit and the admin API
 * @param name display name
 * @param identities rules that recognise the vendor's client certificates
 * @param pinnedCa if not empty, the vendor's certificates must chain through one of these CAs
 * @param routes ids of the routes granted to the vendor
 * @param scopes the most a token issued to this vendor may carry
 * @param defaultScopes what a token carries when the request asks for no scope (within {@code scopes})
 * @param limits rates and quotas
 * @param status the state the policy puts the vendor in
 * @param canaries canonical paths (exact objects, or prefixes ending in {@code /}) that only an
 *     intruder with this vendor's credentials would ask for (see {@link Tripwires})
 */
public record Vendor(
        String id,
        String name,
        List<IdentityRule> identities,
        List<Path> pinnedCa,
        Set<String> routes,
        Set<String> scopes,
        Set<String> defaultScopes,
        Limits limits,
        VendorStatus status,
        List<String> canaries) {

    public Vendor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        identities = List.copyOf(identities);
        pinnedCa = List.copyOf(pinnedCa);
        routes = Set.copyOf(routes);
        scopes = Set.copyOf(scopes);
        defaultScopes = Set.copyOf(defaultScopes);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(status, "status");
        canaries = List.copyOf(canaries);
    }

    /** A vendor without canaries of its own. */
    public Vendor(
            String id,
            String name,
            List<IdentityRule> identities,
            List<Path> pinnedCa,
            Set<String> routes,
            Set<String> scopes,
            Set<String> defaultScopes,
            Limits limits,
            VendorStatus status) {
        this(id, name, identities, pinnedCa, routes, scopes, defaultScopes, limits, status, List.of());
    }

    /** A vendor whose default scopes are all its scopes. */
    public Vendor(
            String id,
            String name,
            List<IdentityRule> identities,
            List<Path> pinnedCa,
            Set<String> routes,
            Set<String> scopes,
            Limits limits,
            VendorStatus status) {
        this(id, name, identities, pinnedCa, routes, scopes, scopes, limits, status);
    }

    /** Whether any identity rule recognises the certificate. */
    public boolean recognises(PeerCertificate certificate) {
        for (IdentityRule rule : identities) {
            if (rule.matches(certificate)) {
                return true;
            }
        }
        return false;
    }
}
