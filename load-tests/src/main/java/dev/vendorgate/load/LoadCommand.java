package dev.vendorgate.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar load-tests.jar}: the load generator, the test upstream, the kill switch timing, JMH. */
@Command(name = "load-tests", mixinStandardHelpOptions = true,
        versionProvider = LoadCommand.Version.class,
        description = "Load tests for vendorgate (and any mTLS HTTP proxy).",
        subcommands = {RunCommand.class, UpstreamCommand.class, IdleCommand.class, KillSwitchCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class LoadCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LoadCommand.class.getPackage().getImplementationVersion();
            return new String[] {"vendorgate load-tests " + (version == null ? "development build" : version)};
        }
    }
}
