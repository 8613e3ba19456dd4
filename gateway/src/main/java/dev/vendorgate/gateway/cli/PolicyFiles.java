package dev.vendorgate.gateway.cli;

import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import dev.vendorgate.policy.load.PolicyLoader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads a policy file for a command, printing every error instead of a stack trace. */
final class PolicyFiles {

    private PolicyFiles() {}

    /** The policy, or null after printing its errors to {@code err}. */
    static Policy load(Path file, PrintWriter err) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        Policy policy = load(file, errors);
        if (policy == null) {
            errors.forEach(err::println);
            err.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + file);
            err.flush();
        }
        return policy;
    }

    /** The policy, or null after adding its errors ({@code file:line:col: message}) to {@code errors}. */
    static Policy load(Path file, java.util.List<String> errors) {
        try {
            return PolicyLoader.load(file);
        } catch (PolicyException e) {
            for (PolicyError error : e.errors()) {
                errors.add(error.toString());
            }
            return null;
        }
    }
}
