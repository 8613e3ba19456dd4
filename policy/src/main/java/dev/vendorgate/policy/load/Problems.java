package dev.vendorgate.policy.load;

import dev.vendorgate.policy.PolicyError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects errors while a policy is read, so that one run reports all of them. */
final class Problems {

    private final String file;
    private final List<PolicyError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String path, String message) {
        errors.add(new PolicyError(file, line, column, path, message));
    }

    void add(YamlNode at, String path, String message) {
        add(at == null ? 0 : at.line(), at == null ? 0 : at.column(), path, message);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Errors sorted by position; errors without a position come last. */
    List<PolicyError> sorted() {
        List<PolicyError> copy = new ArrayList<>(errors);
        copy.sort(Comparator.comparingInt((PolicyError e) -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparingInt(PolicyError::column));
        return copy;
    }
}
