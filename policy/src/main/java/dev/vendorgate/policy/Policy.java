package dev.vendorgate.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated policy: who may reach which lab services and how. Instances are
 * immutable; a reload builds a new one and swaps it in.
 *
 * @param source the file it was read from (relative paths inside were resolved against its folder)
 * @param listeners where the gateway listens
 * @param upstreams lab services, by id
 * @param routes the lab API granted piecewise to vendors
 * @param vendors every vendor, active or not
 * @param operators who may use the admin API
 * @param state where runtime control state is kept
 * @param audit where the audit trail is written
 * @param tokens the token issuer and trusted issuers, if tokens are used
 * @param sha256 the SHA-256 (hex) of the policy text as read: what audit records name it by
 * @param probationFactor what a vendor on probation after a breach keeps of its rates and byte
 *     quotas (0 to 1)
 * @param tripwires canaries and baseline rules that suspend a vendor by themselves
 */
public record Policy(
        Path source,
        Listeners listeners,
        Map<String, Upstream> upstreams,
        List<Route> routes,
        List<Vendor> vendors,
        List<Operator> operators,
        StateSpec state,
        AuditSpec audit,
        Optional<TokensSpec> tokens,
        String sha256,
        double probationFactor,
        Tripwires tripwires) {

    public static final double DEFAULT_PROBATION_FACTOR = 0.1;

    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(listeners, "listeners");
        upstreams = Map.copyOf(upstreams);
        routes = List.copyOf(routes);
        vendors = List.copyOf(vendors);
        operators = List.copyOf(operators);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(tripwires, "tripwires");
    }

    public Optional<Vendor> vendor(String id) {
        return vendors.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public Optional<Route> route(String id) {
        return routes.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
