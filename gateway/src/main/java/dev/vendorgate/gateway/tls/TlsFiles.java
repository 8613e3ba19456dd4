package dev.vendorgate.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads PEM certificates and CRLs named in the policy with the JDK's own parsers, turning every
 * failure into a message that names the file. Private keys are never read here and never printed.
 */
public final class TlsFiles {

    private TlsFiles() {}

    /** Every certificate in the PEM file; at least one. */
    public static List<X509Certificate> certificates(Path file) throws TlsMaterialException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> read =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new TlsMaterialException(file + ": no certificate found (expected PEM 'BEGIN CERTIFICATE')");
            }
            return certificates;
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file + ": file not found");
        } catch (IOException e) {
            throw new TlsMaterialException(file + ": cannot read: " + e.getMessage());
        } catch (CertificateException e) {
            throw new TlsMaterialException(file + ": not a valid PEM certificate: " + e.getMessage());
        }
    }

    /** Every certificate of every file, in order. */
    public static List<X509Certificate> certificates(List<Path> files) throws TlsMaterialException {
        List<X509Certificate> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(certificates(file));
        }
        return all;
    }

    /** Every CRL in the PEM files. */
    public static List<X509CRL> crls(List<Path> files) throws TlsMaterialException {
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends CRL> read =
                        CertificateFactory.getInstance("X.509").generateCRLs(in);
                if (read.isEmpty()) {
                    throw new TlsMaterialException(file + ": no CRL found (expected PEM 'BEGIN X509 CRL')");
                }
                for (CRL crl : read) {
                    crls.add((X509CRL) crl);
                }
            } catch (NoSuchFileException e) {
                throw new TlsMaterialException(file + ": file not found");
            } catch (IOException e) {
                throw new TlsMaterialException(file + ": cannot read: " + e.getMessage());
            } catch (CertificateException | CRLException e) {
                throw new TlsMaterialException(file + ": not a valid PEM CRL: " + e.getMessage());
            }
        }
        return crls;
    }

    /** A TLS file could not be used; the message names the file and never contains key material. */
    public static final class TlsMaterialException extends Exception {
        public TlsMaterialException(String message) {
            super(message);
        }
    }
}
