package dev.vendorgate.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import picocli.CommandLine;

/**
 * What this build is: the version from the jar's manifest, the commit recorded by the build
 * ({@code build.properties}, written by Maven), the jar the classes run from and the CycloneDX SBOM
 * packaged inside it. Printed by {@code --version} and {@code gateway version}.
 */
public final class VersionInfo implements CommandLine.IVersionProvider {

    /** Where the build puts the SBOM, inside the jar (and in the classes directory before packaging). */
    public static final String SBOM_ENTRY = "META-INF/sbom/bom.json";

    public static String version() {
        String version = VersionInfo.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /** The commit the build recorded: a git commit id, with {@code -dirty} for uncommitted changes, or {@code unknown}. */
    public static String commit() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String commit = properties.getProperty("commit", "").strip();
            return commit.isEmpty() ? "unknown" : commit;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The jar or classes directory these classes were loaded from. */
    public static Path codeSource() {
        CodeSource source = VersionInfo.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where the gateway's classes were loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the gateway's classes were loaded from", e);
        }
    }

    /** The jar this gateway runs from, or empty when it runs from a classes directory (tests, an IDE). */
    public static Optional<Path> jar() {
        Path source = codeSource();
        return Files.isRegularFile(source) ? Optional.of(source) : Optional.empty();
    }

    /** The SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The SBOM packaged with these classes: the entry of the jar they run from, or the file in their classes
     * directory. Empty for a build that never reached {@code package}.
     */
    public static Optional<byte[]> sbom() throws IOException {
        Optional<Path> jar = jar();
        if (jar.isPresent()) {
            try (JarFile file = new JarFile(jar.get().toFile())) {
                ZipEntry entry = file.getEntry(SBOM_ENTRY);
                if (entry == null) {
                    return Optional.empty();
                }
                try (InputStream in = file.getInputStream(entry)) {
                    return Optional.of(in.readAllBytes());
                }
            }
        }
        Path file = codeSource().resolve(SBOM_ENTRY);
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "vendorgate gateway " + version(),
            "commit " + commit(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
