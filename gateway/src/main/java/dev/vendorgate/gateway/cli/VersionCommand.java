package dev.vendorgate.gateway.cli;

import dev.vendorgate.gateway.VersionInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway version [--sbom]}: what a release check compares. The version, the commit the jar was
 * built from and the SHA-256 of the jar itself; with {@code --sbom}, the CycloneDX SBOM packaged in the jar,
 * byte for byte.
 */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = {
            "Print the version, the commit this jar was built from and the jar's SHA-256.",
            "With --sbom, print the CycloneDX SBOM (JSON) of the dependencies packaged in the jar."
        })
final class VersionCommand implements Callable<Integer> {

    @Option(names = "--sbom", description = "print the packaged CycloneDX SBOM instead")
    boolean sbom;

    @Option(names = "--json", description = "print version, commit, jar and sha256 as one JSON object")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (sbom) {
            Optional<byte[]> bom = VersionInfo.sbom();
            if (bom.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("no SBOM in " + VersionInfo.codeSource()
                                + ": it is written when the jar is built (mvn package)");
                return 1;
            }
            out.flush();
            PrintStream raw = System.out; // bytes, as packaged: no character set on the way
            raw.write(bom.get());
            raw.flush();
            return 0;
        }
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode info = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode()
                    .put("name", "vendorgate gateway")
                    .put("version", VersionInfo.version())
                    .put("commit", VersionInfo.commit());
            Optional<Path> built = VersionInfo.jar();
            info.put("jar", built.map(Path::toString).orElse(null));
            info.put("sha256", built.isPresent() ? VersionInfo.sha256(built.get()) : null);
            out.println(info.toString());
            out.flush();
            return 0;
        }
        out.println("vendorgate gateway " + VersionInfo.version());
        out.println("commit  " + VersionInfo.commit());
        Optional<Path> jar = VersionInfo.jar();
        if (jar.isPresent()) {
            out.println("jar     " + jar.get());
            out.println("sha256  " + VersionInfo.sha256(jar.get()));
        } else {
            out.println("jar     none: not running from a jar (classes in " + VersionInfo.codeSource() + ")");
        }
        out.flush();
        return 0;
    }
}
