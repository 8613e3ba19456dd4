package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gateway} command line: run, check, demo, the admin and audit tools, and version. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "A secure data-exchange gateway between an AI lab and its annotation vendors.",
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            DemoCommand.class,
            CtlCommand.class,
            AuditCommand.class,
            KeysCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GatewayCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code: 0 done, 1 it ran and found a problem (or
     * failed), 2 a usage error (an unknown or missing option, a bad value, a file named on the
     * command line that is not there), 3 for {@code ctl}: the admin API could not be reached.
     */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new GatewayCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(GatewayCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr()
                    .println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return commandLine.execute(args);
    }

    /** A usage error: what is wrong and where the help is, not the whole usage text burying it; exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        java.io.PrintWriter err = cl.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see: " + cl.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required: run, check, demo, ctl, audit, keys or version");
    }
}
