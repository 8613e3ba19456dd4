package dev.vendorgate.gateway.supply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The licence the POM declares is shipped as its text, and the changelog is there for users. */
class LicenseFilesTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void licenseTextMatchesThePomAndAChangelogExists() throws Exception {
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<name>Apache-2.0</name>");
        String license = Files.readString(ROOT.resolve("LICENSE"));
        assertThat(license)
                .contains("Apache License")
                .contains("Version 2.0, January 2004")
                .contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
        assertThat(Files.readString(ROOT.resolve("CHANGELOG.md")))
                .startsWith("# Changelog")
                .contains("## Unreleased");
    }
}
