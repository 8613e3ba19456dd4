package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.Gateway;
import dev.vendorgate.gateway.GatewayOptions;
import dev.vendorgate.gateway.demo.DemoSetup;
import dev.vendorgate.gateway.demo.DemoUpstream;
import dev.vendorgate.gateway.runtime.GatewayConfigException;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.Upstream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway demo}: a self-contained evaluation setup: a development PKI, a policy with two
 * vendors, a demo data service and the gateway in front of it, with commands to try printed.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run a self-contained demo: dev PKI, example policy, a demo data service and the gateway.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "gateway-demo",
            description = "where certificates and the policy are written, and reused on the next run "
                    + "(default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(
            names = "--vendor-port",
            defaultValue = "8443",
            description = "vendor listener port (default: ${DEFAULT-VALUE})")
    int vendorPort;

    @Option(
            names = "--admin-port",
            defaultValue = "9443",
            description = "admin listener port (default: ${DEFAULT-VALUE})")
    int adminPort;

    @Option(
            names = "--metrics-port",
            defaultValue = "9090",
            description = "metrics listener port (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(
            names = "--upstream-port",
            defaultValue = "8080",
            description = "demo data service port (default: ${DEFAULT-VALUE})")
    int upstreamPort;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = "INFO",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    LogSetup.Verbosity logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static int freeIfZero(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A port flag given on the command line that a reused policy does not have. */
    record PortChange(String flag, int from, int to) {
        @Override
        public String toString() {
            return flag + " " + from + " -> " + to;
        }
    }

    /** The port flags given explicitly (not 0, "any free port") that the reused policy does not have. */
    private java.util.List<PortChange> portChanges(Policy policy) {
        java.util.List<PortChange> changes = new java.util.ArrayList<>();
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        change(
                changes,
                parsed,
                "--vendor-port",
                vendorPort,
                policy.listeners().vendor().bind().port());
        policy.listeners()
                .admin()
                .ifPresent(a -> change(
                        changes, parsed, "--admin-port", adminPort, a.bind().port()));
        policy.listeners()
                .metrics()
                .ifPresent(m -> change(
                        changes, parsed, "--metrics-port", metricsPort, m.bind().port()));
        policy.upstreams().values().stream()
                .map(Upstream::port)
                .findFirst()
                .ifPresent(p -> change(changes, parsed, "--upstream-port", upstreamPort, p));
        return changes;
    }

    private static void change(
            java.util.List<PortChange> changes, CommandLine.ParseResult parsed, String flag, int asked, int inPolicy) {
        if (parsed != null
                && parsed.hasMatchedOption(flag)
                && parsed.matchedOptionValue(flag, 0) != 0
                && asked != inPolicy) {
            changes.add(new PortChange(flag, inPolicy, asked));
        }
    }

    /**
     * The demo policy's text with its ports changed: every {@code host:PORT"} of a listener's bind,
     * the token issuer and the upstream's URL (the forms the demo writes).
     */
    static String withPorts(String policy, java.util.List<PortChange> changes) {
        String text = policy;
        for (PortChange change : changes) {
            text = text.replace(":" + change.from() + "\"", ":" + change.to() + "\"");
        }
        return text;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (int port : new int[] {vendorPort, adminPort, metricsPort, upstreamPort}) {
            if (port < 0 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "ports must be between 0 and 65535");
            }
        }
        // port 0 means "any free port": choose now, so the policy written names real ports
        vendorPort = freeIfZero(vendorPort);
        adminPort = freeIfZero(adminPort);
        metricsPort = freeIfZero(metricsPort);
        upstreamPort = freeIfZero(upstreamPort);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LogSetup.configure(LogSetup.Format.TEXT, logLevel);
        DemoSetup.Prepared prepared =
                DemoSetup.prepare(dir, new DemoSetup.Ports(vendorPort, adminPort, metricsPort, upstreamPort));
        out.println(
                (prepared.createdCertificates() ? "wrote" : "reusing") + " development PKI in " + dir.resolve("certs"));
        out.println((prepared.createdPolicy() ? "wrote" : "reusing") + " policy " + prepared.policy());
        out.flush();
        Policy policy = PolicyFiles.load(prepared.policy(), err);
        if (policy == null) {
            err.println("fix " + prepared.policy() + " or run the demo with a new --dir");
            return 1;
        }
        if (!prepared.createdPolicy()) {
            java.util.List<PortChange> changes = portChanges(policy);
            if (!changes.isEmpty()) {
                // honour the flags: the reused policy is rewritten to the ports asked for, and said so
                java.nio.file.Files.writeString(
                        prepared.policy(), withPorts(java.nio.file.Files.readString(prepared.policy()), changes));
                out.println("rewrote the ports of " + prepared.policy() + ": "
                        + String.join(
                                ", ", changes.stream().map(PortChange::toString).toList()));
                out.flush();
                policy = PolicyFiles.load(prepared.policy(), err);
                if (policy == null) {
                    err.println("fix " + prepared.policy() + " or run the demo with a new --dir");
                    return 1;
                }
            }
        }
        int dataPort = policy.upstreams().values().stream()
                .map(Upstream::port)
                .findFirst()
                .orElse(upstreamPort);
        DemoUpstream upstream;
        try {
            upstream = DemoUpstream.start("127.0.0.1", dataPort);
        } catch (RuntimeException e) {
            err.println("cannot start the demo data service on 127.0.0.1:" + dataPort + ": " + e.getMessage()
                    + " (choose another --upstream-port with a new --dir)");
            return 1;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(policy, GatewayOptions.DEFAULTS.withShutdownGrace(Duration.ofSeconds(5)));
        } catch (GatewayConfigException e) {
            upstream.close();
            e.errors().forEach(err::println);
            err.println("(choose other ports with --vendor-port and a new --dir, or edit " + prepared.policy() + ")");
            return 1;
        }
        out.print(DemoGuide.text(
                dir,
                gateway.vendorAddress().getPort(),
                gateway.adminAddress() == null
                        ? adminPort
                        : gateway.adminAddress().getPort(),
                gateway.metricsAddress() == null
                        ? metricsPort
                        : gateway.metricsAddress().getPort(),
                upstream.address().getPort()));
        out.flush();
        RunCommand.reloadOnHangup(gateway);
        RunCommand.awaitShutdown(gateway, upstream);
        return 0;
    }
}
