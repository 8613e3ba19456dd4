package dev.vendorgate.certs.cli;

import dev.vendorgate.certs.CertificateBuilder;
import dev.vendorgate.certs.CrlBuilder;
import dev.vendorgate.certs.DevPki;
import dev.vendorgate.certs.IssuedCertificate;
import dev.vendorgate.certs.KeyType;
import dev.vendorgate.certs.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certs-dev}: a development PKI on the command line. Never for production certificates. */
@Command(
        name = "certs-dev",
        mixinStandardHelpOptions = true,
        version = "vendorgate certs-dev",
        description = "Development certificates for vendorgate: a CA, server, vendor and operator certificates, CRLs.",
        subcommands = {
            CertsDevCommand.Init.class,
            CertsDevCommand.Server.class,
            CertsDevCommand.Vendor.class,
            CertsDevCommand.Operator.class,
            CertsDevCommand.Revoke.class
        })
public final class CertsDevCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new CertsDevCommand());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr()
                    .println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Options every issuing command shares. */
    static class Common {
        /** "now" for --not-before now and revocation times (a field, so a test can set it). */
        java.time.Clock clock = java.time.Clock.systemUTC();

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the PKI folder (ca.pem, ca.key)")
        Path dir;

        @Option(names = "--force", description = "overwrite existing files")
        boolean force;

        @Option(
                names = "--p12",
                description = "also write NAME.p12 (password from $CERTS_DEV_P12_PASSWORD or " + "--p12-password-file)")
        boolean p12;

        @Option(names = "--p12-password-file", paramLabel = "FILE", description = "file holding the PKCS#12 password")
        Path p12PasswordFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        DevPki pki() throws IOException {
            if (!Files.exists(dir.resolve("ca.pem")) || !Files.exists(dir.resolve("ca.key"))) {
                throw new IOException("no CA in " + dir + " (run: certs-dev init --dir " + dir + ")");
            }
            return DevPki.load(dir);
        }

        int write(IssuedCertificate certificate, String name) throws IOException {
            Path pem = dir.resolve(name + ".pem");
            Path key = dir.resolve(name + ".key");
            Path store = dir.resolve(name + ".p12");
            char[] password = p12 ? password() : null;
            for (Path existing : p12 ? List.of(pem, key, store) : List.of(pem, key)) {
                if (Files.exists(existing) && !force) {
                    throw new IOException(existing + " exists; use --force to overwrite it");
                }
            }
            certificate.writePem(pem, key);
            if (p12) {
                Files.write(store, certificate.toPkcs12(password, name));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + pem + " and " + key + (p12 ? " and " + store : ""));
            describe(out, certificate.certificate());
            out.println("  sha256   " + certificate.sha256Fingerprint());
            return 0;
        }

        private char[] password() throws IOException {
            if (p12PasswordFile != null) {
                return Files.readString(p12PasswordFile, StandardCharsets.UTF_8)
                        .strip()
                        .toCharArray();
            }
            String env = System.getenv("CERTS_DEV_P12_PASSWORD");
            if (env == null || env.isEmpty()) {
                throw new IOException("--p12 needs a password: set CERTS_DEV_P12_PASSWORD or use --p12-password-file");
            }
            return env.toCharArray();
        }
    }

    static void describe(PrintWriter out, X509Certificate certificate) {
        out.println("  subject  " + certificate.getSubjectX500Principal().getName());
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                List<String> names = new ArrayList<>();
                certificate.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
                out.println("  names    " + String.join(", ", names));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            out.println("  names    (unreadable)");
        }
        out.println("  expires  " + certificate.getNotAfter().toInstant());
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create a CA: DIR/ca.pem and DIR/ca.key.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR")
        Path dir;

        @Option(
                names = "--trust-domain",
                defaultValue = "lab.example",
                description = "SPIFFE trust domain (default: ${DEFAULT-VALUE})")
        String trustDomain;

        @Option(
                names = "--key-type",
                defaultValue = "EC_P256",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        KeyType keyType;

        @Option(names = "--force", description = "overwrite an existing CA")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(dir.resolve("ca.key")) && !force) {
                throw new IOException(dir.resolve("ca.key") + " exists; use --force to overwrite it");
            }
            DevPki pki = DevPki.create(trustDomain, keyType);
            Files.createDirectories(dir);
            pki.writeCa(dir);
            spec.commandLine().getOut().println("wrote " + dir.resolve("ca.pem") + " and " + dir.resolve("ca.key"));
            describe(spec.commandLine().getOut(), pki.ca().certificate());
            return 0;
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Issue a server certificate.")
    static final class Server extends Common implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "file name (NAME.pem, NAME.key)")
        String name;

        @Option(names = "--san", description = "DNS name or IP address (repeat); default: localhost, 127.0.0.1, ::1")
        List<String> sans = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            List<String> names = sans.isEmpty() ? List.of("localhost", "127.0.0.1", "::1") : sans;
            return write(pki().server(names.toArray(new String[0])), name);
        }
    }

    @Command(name = "vendor", mixinStandardHelpOptions = true, description = "Issue a vendor client certificate.")
    static final class Vendor extends Common implements Callable<Integer> {
        @Option(names = "--vendor", required = true, description = "vendor id, as in the policy")
        String vendor;

        @Option(names = "--client", description = "client id within the vendor (optional)")
        String client;

        @Option(
                names = "--not-before",
                paramLabel = "TIME",
                description = "valid from: 'now' or a time "
                        + "(2026-12-01T10:00:00Z); default an hour ago, for clock skew. After a breach cut-off, 'now' makes a "
                        + "certificate the gateway admits")
        String notBefore;

        @Option(names = "--out", description = "file name (default: VENDOR or VENDOR-CLIENT)")
        String out;

        @Override
        public Integer call() throws IOException {
            String file = out != null ? out : client == null ? vendor : vendor + "-" + client;
            CertificateBuilder builder = new CertificateBuilder();
            if (notBefore != null) {
                try {
                    builder.notBefore(notBefore.equals("now") ? clock.instant() : java.time.Instant.parse(notBefore));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new CommandLine.ParameterException(
                            new CommandLine(this),
                            "--not-before must be 'now' or a " + "time such as 2026-12-01T10:00:00Z");
                }
            }
            return write(pki().vendorClient(vendor, client, builder), file);
        }
    }

    @Command(name = "operator", mixinStandardHelpOptions = true, description = "Issue an operator certificate.")
    static final class Operator extends Common implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "operator name")
        String name;

        @Option(names = "--out", description = "file name (default: NAME)")
        String out;

        @Override
        public Integer call() throws IOException {
            return write(pki().operator(name), out != null ? out : name);
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Add a certificate to the CA's CRL (DIR/ca.crl by default), keeping earlier entries.")
    static final class Revoke implements Callable<Integer> {
        /** "now" for the revocation time (a field, so a test can set it). */
        java.time.Clock clock = java.time.Clock.systemUTC();

        @Option(names = "--dir", required = true, paramLabel = "DIR")
        Path dir;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "the certificate to revoke")
        Path cert;

        @Option(names = "--crl", paramLabel = "FILE", description = "the CRL file (default: DIR/ca.crl)")
        Path crl;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(dir.resolve("ca.key"))) {
                throw new IOException("no CA in " + dir + " (run: certs-dev init --dir " + dir + ")");
            }
            DevPki pki = DevPki.load(dir);
            Path file = crl != null ? crl : dir.resolve("ca.crl");
            CrlBuilder builder = new CrlBuilder(pki.ca()).clock(clock);
            if (Files.exists(file)) {
                X509CRL existing = Pem.readCrl(file);
                if (existing.getRevokedCertificates() != null) {
                    for (X509CRLEntry entry : existing.getRevokedCertificates()) {
                        builder.revoke(
                                entry.getSerialNumber(),
                                entry.getRevocationDate().toInstant());
                    }
                }
            }
            X509Certificate revoked = Pem.readCertificates(cert).get(0);
            BigInteger serial = revoked.getSerialNumber();
            builder.revoke(serial, clock.instant());
            Pem.writeString(file, CrlBuilder.pem(builder.build()), false);
            spec.commandLine()
                    .getOut()
                    .println("revoked serial " + serial.toString(16) + " ("
                            + revoked.getSubjectX500Principal().getName() + ") in " + file);
            return 0;
        }
    }
}
