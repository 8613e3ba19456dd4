package dev.vendorgate.policy;

import java.util.Objects;
import java.util.Set;

/** The outcome of checking one request against the policy: a value, easy to test and to audit. */
public sealed interface AccessDecision {

    /** The request may go to the route's upstream. */
    record Allow(Vendor vendor, Route route) implements AccessDecision {
        public Allow {
            Objects.requireNonNull(vendor, "vendor");
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * The request is refused.
     *
     * @param reason the stable reason
     * @param detail a sentence for the client; never contains secrets
     * @param allowedMethods for {@link DenyReason#METHOD_NOT_ALLOWED}, the methods the path allows
     */
    record Deny(DenyReason reason, String detail, Set<String> allowedMethods) implements AccessDecision {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            allowedMethods = Set.copyOf(allowedMethods);
        }

        public Deny(DenyReason reason, String detail) {
            this(reason, detail, Set.of());
        }
    }
}
