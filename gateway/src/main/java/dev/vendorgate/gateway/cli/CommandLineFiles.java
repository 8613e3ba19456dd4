package dev.vendorgate.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Files and folders named on the command line: one that is not there is a usage error (exit 2),
 * told apart from a command that ran and found a problem (exit 1).
 */
final class CommandLineFiles {

    private CommandLineFiles() {}

    /** Throws a usage error unless {@code file} is a readable file; {@code option} names where it came from. */
    static void requireFile(CommandLine.Model.CommandSpec spec, String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " " + file + ": "
                            + (Files.isDirectory(file)
                                    ? "a folder, not a file"
                                    : "cannot read the file: no such file"));
        }
        if (!Files.isReadable(file)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), option + " " + file + ": cannot read the file: permission denied");
        }
    }

    /** Throws a usage error unless {@code dir} is a folder. */
    static void requireFolder(CommandLine.Model.CommandSpec spec, String option, Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " " + dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder") + " (pass "
                            + option + " with " + what + ")");
        }
    }
}
