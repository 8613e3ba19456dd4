package dev.vendorgate.gateway.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway version [--sbom]} from the built jar: what someone verifying a release compares
 * (docs/supply-chain.md). The SBOM must name every runtime dependency Maven resolved for the jar.
 */
class VersionIT {

    /** {@code group:artifact:type[:classifier]:version:scope}, as maven-dependency-plugin's list goal writes it. */
    private static final Pattern LISTED =
            Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(compile|runtime)\\b.*");

    /**
     * Libraries some dependencies carry relocated inside their own jar, with their pom.properties: they are
     * part of that dependency's component, not Maven artifacts of ours.
     */
    private static final Map<String, String> EMBEDDED = Map.of(
            "org.jctools:jctools-core", "io.netty:netty-common",
            "org.jctools:jctools-core-jdk11", "io.netty:netty-common",
            "com.google.code.gson:gson", "com.nimbusds:nimbus-jose-jwt",
            "com.github.stephenc.jcip:jcip-annotations", "com.nimbusds:nimbus-jose-jwt");

    @TempDir
    Path work;

    @Test
    void versionNamesTheBuildAndTheJarsOwnSha256() throws Exception {
        Path jar = JarProcess.jar().toAbsolutePath();
        try (JarProcess version = JarProcess.start(work, "version")) {
            assertThat(version.waitFor(Duration.ofSeconds(60)))
                    .as(version.output())
                    .isZero();
            List<String> lines = version.output().lines().toList();

            assertThat(lines.get(0)).isEqualTo("vendorgate gateway " + System.getProperty("gateway.version"));
            assertThat(field(lines, "commit")).matches(expectedCommit());
            assertThat(Path.of(field(lines, "jar")).toRealPath()).isEqualTo(jar.toRealPath());
            assertThat(field(lines, "sha256")).isEqualTo(sha256(jar));
        }
    }

    @Test
    void sbomIsCycloneDxListingEveryRuntimeDependencyInTheJar() throws Exception {
        byte[] printed;
        try (JarProcess sbom = JarProcess.start(work, "version", "--sbom")) {
            assertThat(sbom.waitFor(Duration.ofSeconds(60))).as(sbom.output()).isZero();
            printed = sbom.output().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode bom = new ObjectMapper().readTree(printed);

        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("specVersion").asText()).matches("1\\.\\d+");
        assertThat(bom.path("metadata").path("component").path("purl").asText())
                .startsWith("pkg:maven/dev.vendorgate/gateway@" + System.getProperty("gateway.version"));
        assertThat(bom.has("serialNumber"))
                .as("a serial number would make every build differ")
                .isFalse();

        Map<String, JsonNode> components = new TreeMap<>();
        for (JsonNode component : bom.path("components")) {
            assertThat(component.path("purl").asText()).as(component.toString()).startsWith("pkg:maven/");
            components.put(component.path("purl").asText(), component);
        }
        Set<String> expected = runtimeDependencyPurls();
        assertThat(expected).as("runtime dependencies listed by the build").hasSizeGreaterThan(20);
        assertThat(components.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (JsonNode component : components.values()) {
            assertThat(component.path("hashes").findValuesAsText("alg"))
                    .as(component.path("purl").asText())
                    .contains("SHA-256");
        }

        // and the other way round: every Maven artifact whose classes are in the jar is in the SBOM
        Set<String> componentCoordinates = new TreeSet<>();
        components
                .values()
                .forEach(c -> componentCoordinates.add(c.path("group").asText() + ":"
                        + c.path("name").asText() + ":" + c.path("version").asText()));
        for (Map.Entry<String, String> packaged : packagedArtifacts().entrySet()) {
            String ga = packaged.getKey();
            if (ga.equals("dev.vendorgate:gateway")) {
                continue;
            }
            if (EMBEDDED.containsKey(ga)) {
                assertThat(componentCoordinates)
                        .as(ga + " ships inside " + EMBEDDED.get(ga))
                        .anyMatch(c -> c.startsWith(EMBEDDED.get(ga) + ":"));
                continue;
            }
            assertThat(componentCoordinates)
                    .as("pom.properties of " + ga + " in the jar")
                    .contains(ga + ":" + packaged.getValue());
        }
    }

    @Test
    void sbomIsPrintedAsPackaged() throws Exception {
        byte[] packaged;
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            JarEntry entry = jar.getJarEntry("META-INF/sbom/bom.json");
            assertThat(entry).as("the SBOM entry of gateway.jar").isNotNull();
            try (InputStream in = jar.getInputStream(entry)) {
                packaged = in.readAllBytes();
            }
        }
        try (JarProcess sbom = JarProcess.start(work, "version", "--sbom")) {
            assertThat(sbom.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(sbom.output().strip()).isEqualTo(new String(packaged, StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void jarIsTheWholeClassPathAndCarriesNoScriptEngine() throws IOException {
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Class-Path"))
                    .as("code from outside the jar")
                    .isNull();
            assertThat(main.getValue("Launcher-Agent-Class"))
                    .as("an agent started with the jar")
                    .isNull();
            assertThat(jar.getEntry("META-INF/services/javax.script.ScriptEngineFactory"))
                    .isNull();
        }
    }

    /**
     * What the build should have recorded: the commit given with -Dgit.commit, else git's HEAD (with -dirty for
     * uncommitted changes), else "unknown" where git cannot say.
     */
    private static String expectedCommit() throws Exception {
        String given = System.getProperty("git.commit", "");
        if (!given.isEmpty()) {
            return Pattern.quote(given);
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--verify", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor() == 0 && head.matches("[0-9a-f]{40}")) {
                return head + "(-dirty)?";
            }
        } catch (IOException e) {
            // no git here: nor was there when the jar was built, moments ago
        }
        return "unknown";
    }

    private static String field(List<String> lines, String name) {
        return lines.stream()
                .filter(l -> l.startsWith(name + " "))
                .map(l -> l.substring(name.length()).strip())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + name + "' line in " + lines));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The purls of the runtime dependencies the build listed (target/runtime-dependencies.txt). */
    private static Set<String> runtimeDependencyPurls() throws IOException {
        Path listing = Path.of(System.getProperty("gateway.runtime-dependencies", "target/runtime-dependencies.txt"));
        Set<String> purls = new TreeSet<>();
        for (String line : Files.readAllLines(listing)) {
            Matcher m = LISTED.matcher(line);
            if (m.matches()) {
                String classifier = m.group(4) == null ? "" : "classifier=" + m.group(4) + "&";
                purls.add("pkg:maven/" + m.group(1) + "/" + m.group(2) + "@" + m.group(5) + "?" + classifier + "type="
                        + m.group(3));
            }
        }
        return purls;
    }

    /** {@code group:artifact} to version, from every {@code META-INF/maven/.../pom.properties} in the jar. */
    private static Map<String, String> packagedArtifacts() throws IOException {
        Map<String, String> artifacts = new TreeMap<>();
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().startsWith("META-INF/maven/")
                        && entry.getName().endsWith("/pom.properties")) {
                    Properties pom = new Properties();
                    try (InputStream in = jar.getInputStream(entry)) {
                        pom.load(in);
                    }
                    artifacts.put(
                            pom.getProperty("groupId") + ":" + pom.getProperty("artifactId"),
                            pom.getProperty("version"));
                }
            }
        }
        return artifacts;
    }
}
