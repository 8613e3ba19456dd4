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
        try {
            return PolicyLoader.load(file);
        } catch (PolicyException e) {
            for (PolicyError error : e.errors()) {
                err.println(error);
            }
            err.println(e.errors().size() + (e.errors().size() == 1 ? " error" : " errors") + " in " + file);
            err.flush();
            return null;
        }
    }
}
