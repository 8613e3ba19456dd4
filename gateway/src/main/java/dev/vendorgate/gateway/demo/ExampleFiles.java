package dev.vendorgate.gateway.demo;

import dev.vendorgate.certs.CrlBuilder;
import dev.vendorgate.certs.DevPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The files the example policies ({@code policy/examples/*.yaml}) name under {@code certs/}, made
 * from the demo's CA, so that an example copied into the demo folder passes {@code gateway check}.
 * The demo has one CA, so the examples' separate CAs (vendors', operators', the lab's internal
 * one) are all copies of it; {@code acme-ca.pem} is an intermediate it issued (a vendor's own CA,
 * for pinning) and the CRLs are empty and signed by it. A production policy has its own files.
 */
final class ExampleFiles {

    /** Copies of the demo CA's certificate under the names the examples give their CAs. */
    static final List<String> CA_COPIES =
            List.of("vendors-ca.pem", "vendors-root.pem", "ops-ca.pem", "lab-internal-ca.pem");

    /** Empty CRLs signed by the demo CA. */
    static final List<String> CRLS = List.of("vendors.crl", "ops.crl");

    static final String PINNED_CA = "acme-ca";

    private ExampleFiles() {}

    /** Writes every missing file into {@code certs}, which holds the demo CA ({@code ca.pem}, {@code ca.key}). */
    static void writeMissing(Path certs) throws IOException {
        for (String name : CA_COPIES) {
            if (!Files.exists(certs.resolve(name))) {
                Files.copy(certs.resolve("ca.pem"), certs.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        DevPki pki = null;
        for (String name : CRLS) {
            if (!Files.exists(certs.resolve(name))) {
                pki = pki != null ? pki : DevPki.load(certs);
                String crl = CrlBuilder.pem(new CrlBuilder(pki.ca())
                        .nextUpdate(Duration.ofDays(365))
                        .build());
                Files.writeString(certs.resolve(name), crl, StandardCharsets.US_ASCII);
            }
        }
        if (!Files.exists(certs.resolve(PINNED_CA + ".pem"))) {
            pki = pki != null ? pki : DevPki.load(certs);
            pki.intermediate(PINNED_CA)
                    .ca()
                    .writePem(certs.resolve(PINNED_CA + ".pem"), certs.resolve(PINNED_CA + ".key"));
        }
    }
}
