package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.VersionInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gateway} command line: run, check, demo, the admin and audit tools, and version. */
@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "A secure data-exchange gateway between an AI lab and its annotation vendors.",
        subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class, CtlCommand.class, AuditCommand.class,
            KeysCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class})
public final class GatewayCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new GatewayCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            cl.getErr().println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, check, demo, ctl, audit, keys or version");
    }
}
