package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.token.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway keys rotate|jwks}: the token signing keys. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the token signing keys.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Jwks.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say rotate or jwks");
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Rotate: next signs from now on, current only verifies until its tokens expire, a new next "
                    + "is published. A running gateway picks the change up within seconds.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the signingKeys folder")
        Path dir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            SigningKeys.rotate(dir);
            spec.commandLine().getOut().println("rotated; now signing with key "
                    + SigningKeys.loadOrCreate(dir).current().getKeyID());
            return 0;
        }
    }

    @Command(name = "jwks", mixinStandardHelpOptions = true, description = "Print the public key set (JWKS).")
    static final class Jwks implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the signingKeys folder")
        Path dir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            spec.commandLine().getOut().println(SigningKeys.loadOrCreate(dir).jwksJson());
            return 0;
        }
    }
}
