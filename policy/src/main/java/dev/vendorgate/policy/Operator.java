package dev.vendorgate.policy;

import java.util.Objects;

/**
 * A person or tool allowed on the admin API.
 *
 * @param name display name used in audit records
 * @param identity the rule that recognises the operator's certificate
 * @param role what the operator may do
 */
public record Operator(String name, IdentityRule identity, Role role) {

    public Operator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
    }
}
