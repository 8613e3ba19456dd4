package dev.vendorgate.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be used, with every error found in it (not only the first). */
public final class PolicyException extends Exception {

    private final transient List<PolicyError> errors;

    public PolicyException(List<PolicyError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    /** Every error, in file order. */
    public List<PolicyError> errors() {
        return errors;
    }

    private static String summary(List<PolicyError> errors) {
        String lines = errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n  "));
        return errors.size() + (errors.size() == 1 ? " error" : " errors") + " in policy:\n  " + lines;
    }
}
