package dev.vendorgate.gateway.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}, from the jar's manifest. */
public final class VersionInfo implements CommandLine.IVersionProvider {

    public static String version() {
        String version = VersionInfo.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vendorgate gateway " + version(), "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")"};
    }
}
