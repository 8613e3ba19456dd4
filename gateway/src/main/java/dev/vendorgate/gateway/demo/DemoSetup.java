package dev.vendorgate.gateway.demo;

import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what the demo needs into its folder: a development PKI under {@code certs/} (with the
 * files the example policies name, so that an example copied here passes {@code check}) and a
 * policy {@code gateway.yaml}. Anything already there is kept, so a second run reuses the same
 * certificates and the user's edits to the policy.
 */
public final class DemoSetup {

    public static final String TRUST_DOMAIN = "lab.example";
    static final String POLICY_TEMPLATE = "/demo/gateway.yaml";

    private DemoSetup() {}

    /** Ports the demo's policy uses when it is first written. */
    public record Ports(int vendor, int admin, int metrics, int upstream) {}

    /** What {@link #prepare} did. */
    public record Prepared(Path policy, boolean createdCertificates, boolean createdPolicy) {}

    public static Prepared prepare(Path dir, Ports ports) throws IOException {
        Path certs = dir.resolve("certs");
        Files.createDirectories(certs);
        boolean createdCertificates = false;
        if (!Files.exists(certs.resolve("ca.pem"))) {
            DevPki pki = DevPki.create(TRUST_DOMAIN);
            pki.writeCa(certs);
            write(pki.server("localhost", "127.0.0.1", "::1"), certs, "server");
            write(pki.vendorClient("acme", null), certs, "acme");
            write(pki.vendorClient("globex", null), certs, "globex");
            write(pki.operator("ops"), certs, "ops");
            createdCertificates = true;
        }
        // also on a folder an older demo wrote: what the example policies name, from the same CA
        ExampleFiles.writeMissing(certs);
        Path policy = dir.resolve("gateway.yaml");
        boolean createdPolicy = false;
        if (!Files.exists(policy)) {
            String text = template()
                    .replace("${VENDOR_PORT}", Integer.toString(ports.vendor()))
                    .replace("${ADMIN_PORT}", Integer.toString(ports.admin()))
                    .replace("${METRICS_PORT}", Integer.toString(ports.metrics()))
                    .replace("${UPSTREAM_PORT}", Integer.toString(ports.upstream()));
            Files.writeString(policy, text, StandardCharsets.UTF_8);
            createdPolicy = true;
        }
        return new Prepared(policy, createdCertificates, createdPolicy);
    }

    private static void write(IssuedCertificate certificate, Path dir, String name) throws IOException {
        certificate.writePem(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private static String template() throws IOException {
        try (InputStream in = DemoSetup.class.getResourceAsStream(POLICY_TEMPLATE)) {
            if (in == null) {
                throw new IOException("the demo policy template is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
