package dev.vendorgate.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar load-tests.jar}: the load generator, the test upstream, the kill switch timing, JMH. */
@Command(
        name = "load-tests",
        mixinStandardHelpOptions = true,
        versionProvider = LoadCommand.Version.class,
        description = "Load tests for vendorgate (and any mTLS HTTP proxy).",
        subcommands = {
            RunCommand.class,
            UpstreamCommand.class,
            IdleCommand.class,
            KillSwitchCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LoadCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new LoadCommand());
        // a bad file, URL or duration is one line saying what, not a stack trace
        commandLine.setExecutionExceptionHandler((error, command, parsed) -> {
            Throwable root = error;
            while (root.getMessage() == null && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            command.getErr()
                    .println("load-tests " + command.getCommandName() + ": "
                            + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
            return 2;
        });
        System.exit(commandLine.execute(args));
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
