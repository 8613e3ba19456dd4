package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.gateway.runtime.SnapshotBuilder;
import dev.vendorgate.gateway.tls.ServerTlsContexts;
import dev.vendorgate.gateway.tls.TlsFiles;
import dev.vendorgate.gateway.tls.TlsProvider;
import dev.vendorgate.policy.Policy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway check --config FILE}: everything {@code run} would check before binding a port
 * (the policy, its certificates and keys, pinned CAs, upstream names), with every error printed.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a policy file and the files it names; exit 1 with every error if it is not usable.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the policy file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy policy = PolicyFiles.load(config, err);
        if (policy == null) {
            return 1;
        }
        List<String> errors = new ArrayList<>(usabilityErrors(policy));
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println(config + ": " + e));
            err.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + config);
            return 1;
        }
        out.println(config + ": OK (" + policy.vendors().size() + " vendors, " + policy.routes().size() + " routes, "
                + policy.upstreams().size() + " upstreams, " + policy.operators().size() + " operators)");
        return 0;
    }

    /** Errors that only show when the files are read: unusable keys and certificates, unknown hosts. */
    static List<String> usabilityErrors(Policy policy) {
        List<String> errors = new ArrayList<>();
        try {
            ServerTlsContexts.build("vendor", policy.listeners().vendor().tls(), TlsProvider.detect(false), true);
        } catch (TlsFiles.TlsMaterialException e) {
            errors.add("listeners.vendor.tls: " + e.getMessage());
        }
        if (policy.listeners().admin().isPresent()) {
            try {
                ServerTlsContexts.build("admin", policy.listeners().admin().get().tls(), TlsProvider.detect(false), false);
            } catch (TlsFiles.TlsMaterialException e) {
                errors.add("listeners.admin.tls: " + e.getMessage());
            }
        }
        try {
            SnapshotBuilder.build(policy);
        } catch (GatewayConfigException e) {
            errors.addAll(e.errors());
        }
        return errors;
    }
}
