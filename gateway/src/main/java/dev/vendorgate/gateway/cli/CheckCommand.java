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
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Validate a policy file and the files it names; exit 1 with every error if it is not usable, "
                + "2 if the policy file itself is not there.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the policy file")
    Path config;

    @Option(
            names = "--json",
            description =
                    "print what was checked, the result and every error as one JSON object " + "(same exit codes)")
    boolean json;

    @Option(
            names = "--no-resolve",
            description = "do not resolve upstream host names (a policy checked away from "
                    + "its network, in CI or on a laptop); everything else is checked")
    boolean noResolve;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a check covers, in the order it runs: the names {@code --json} lists under "checked". */
    static final List<String> CHECKED = List.of(
            "policy: syntax, fields, references between sections",
            "listeners.vendor.tls: certificate, key (matches the certificate), client CAs, CRL",
            "listeners.admin.tls: certificate, key (matches the certificate), operators' CA, CRL",
            "upstreams, pinned CAs, token keys and trusted issuers: files readable and usable, host names resolvable "
                    + "(unless --no-resolve)");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandLineFiles.requireFile(spec, "--config", config);
        if (json) {
            return json(out);
        }
        Policy policy = PolicyFiles.load(config, err);
        if (policy == null) {
            return 1;
        }
        List<String> errors = new ArrayList<>(usabilityErrors(policy, !noResolve));
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println(config + ": " + e));
            err.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + config);
            return 1;
        }
        out.println(config + ": OK (" + policy.vendors().size() + " vendors, "
                + policy.routes().size() + " routes, " + policy.upstreams().size() + " upstreams, "
                + policy.operators().size() + " operators)");
        return 0;
    }

    /** The check as one JSON object: file, ok, what was checked, the policy's counts (when it loads), errors. */
    private int json(PrintWriter out) {
        List<String> errors = new ArrayList<>();
        Policy policy = PolicyFiles.load(config, errors);
        if (policy != null) {
            usabilityErrors(policy, !noResolve).forEach(e -> errors.add(config + ": " + e));
        }
        com.fasterxml.jackson.databind.node.ObjectNode result = AdminClient.json()
                .createObjectNode()
                .put("file", config.toString())
                .put("ok", errors.isEmpty());
        com.fasterxml.jackson.databind.node.ArrayNode checked = result.putArray("checked");
        (policy == null ? CHECKED.subList(0, 1) : CHECKED).forEach(checked::add);
        if (policy == null) {
            result.putNull("policy");
        } else {
            result.putObject("policy")
                    .put("vendors", policy.vendors().size())
                    .put("routes", policy.routes().size())
                    .put("upstreams", policy.upstreams().size())
                    .put("operators", policy.operators().size())
                    .put("sha256", policy.sha256());
        }
        errors.forEach(result.putArray("errors")::add);
        out.println(result.toPrettyString());
        out.flush();
        return errors.isEmpty() ? 0 : 1;
    }

    /** Errors that only show when the files are read: unusable keys and certificates, unknown hosts. */
    static List<String> usabilityErrors(Policy policy, boolean resolveHosts) {
        List<String> errors = new ArrayList<>();
        try {
            ServerTlsContexts.build("vendor", policy.listeners().vendor().tls(), TlsProvider.detect(false), true);
        } catch (TlsFiles.TlsMaterialException e) {
            errors.add("listeners.vendor.tls: " + e.getMessage());
        }
        if (policy.listeners().admin().isPresent()) {
            try {
                ServerTlsContexts.build(
                        "admin", policy.listeners().admin().get().tls(), TlsProvider.detect(false), false);
            } catch (TlsFiles.TlsMaterialException e) {
                errors.add("listeners.admin.tls: " + e.getMessage());
            }
        }
        try {
            SnapshotBuilder.build(policy, resolveHosts);
        } catch (GatewayConfigException e) {
            errors.addAll(e.errors());
        }
        return errors;
    }
}
