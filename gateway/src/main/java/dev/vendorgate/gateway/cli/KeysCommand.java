package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.token.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway keys rotate|jwks}: the token signing keys. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage the token signing keys.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Jwks.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say rotate or jwks");
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Rotate: next signs from now on, current only verifies until its tokens expire, a new next "
                    + "is published. A running gateway picks the change up within 2 seconds.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the signingKeys folder")
        Path dir;

        @Option(
                names = "--create",
                description = "create the keys if the folder has none (otherwise a mistyped "
                        + "folder is an error, not a new key set)")
        boolean create;

        @Option(
                names = "--now",
                description = "emergency: sign with a key made now, not the published next key "
                        + "(it sat beside the current one), and drop the old next key")
        boolean now;

        @Option(
                names = "--retire-old",
                description = "keep no previous key: every token the old keys signed is "
                        + "refused at once, not when it expires")
        boolean retireOld;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            requireKeys(spec, dir, create);
            java.util.List<String> retired = SigningKeys.rotate(dir, now, retireOld);
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.println("rotated; now signing with key "
                    + SigningKeys.loadOrCreate(dir).current().getKeyID());
            if (!retired.isEmpty()) {
                out.println("no longer trusted: " + String.join(", ", retired) + " (a running gateway reading this "
                        + "folder refuses their tokens within 2 seconds)");
                out.println("to refuse them on every node at once, also run:");
                for (String kid : retired) {
                    out.println(
                            "  gateway ctl revoke --signing-key " + kid + " --reason \"key rotated in an emergency\"");
                }
            }
            return 0;
        }
    }

    @Command(name = "jwks", mixinStandardHelpOptions = true, description = "Print the public key set (JWKS).")
    static final class Jwks implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the signingKeys folder")
        Path dir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--create", description = "create the keys if the folder has none")
        boolean create;

        @Override
        public Integer call() throws IOException {
            requireKeys(spec, dir, create);
            spec.commandLine().getOut().println(SigningKeys.loadOrCreate(dir).jwksJson());
            return 0;
        }
    }

    /** A folder that holds no signing keys is a typo unless {@code --create} says otherwise (exit 2). */
    static void requireKeys(CommandLine.Model.CommandSpec spec, Path dir, boolean create) {
        if (create) {
            return;
        }
        if (!java.nio.file.Files.isRegularFile(dir.resolve("current.jwk"))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--dir " + dir + " holds no signing keys "
                            + "(current.jwk): check the folder (tokens.signingKeys of the policy), or pass --create to make them");
        }
    }
}
