package dev.vendorgate.gateway.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A listener's private key, read from PEM as PKCS#8 ({@code BEGIN PRIVATE KEY}), SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}), and proven to belong to
 * its certificate by signing a random challenge and verifying it with the certificate's public key,
 * so that a mismatched pair fails at start and in {@code check}, not at every handshake.
 * Error messages name the files, never the key.
 */
public final class ServerKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerKeys() {}

    /** The private key in {@code keyFile}, checked against the first certificate of {@code chain}. */
    public static PrivateKey matching(Path keyFile, Path certFile, List<X509Certificate> chain)
            throws TlsFiles.TlsMaterialException {
        PrivateKey key = read(keyFile);
        PublicKey certified = chain.get(0).getPublicKey();
        if (!proves(key, certified)) {
            throw new TlsFiles.TlsMaterialException("key " + keyFile + " does not match certificate " + certFile
                    + " (" + certified.getAlgorithm() + " key of "
                    + chain.get(0).getSubjectX500Principal().getName()
                    + "): give the key the certificate was issued for");
        }
        return key;
    }

    /** The private key in a PEM file. */
    static PrivateKey read(Path file) throws TlsFiles.TlsMaterialException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new TlsFiles.TlsMaterialException(file + ": no private key found (expected PEM 'BEGIN PRIVATE KEY',"
                    + " 'BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY'; encrypted keys are not supported)");
        } catch (NoSuchFileException e) {
            throw new TlsFiles.TlsMaterialException(file + ": file not found");
        } catch (IOException | RuntimeException e) {
            // the parser's messages describe the structure, never the key's value
            throw new TlsFiles.TlsMaterialException(
                    file + ": not a usable PEM private key" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static boolean proves(PrivateKey key, PublicKey certified) {
        String algorithm = switch (certified.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null
                || !key.getAlgorithm().equals(certified.getAlgorithm())
                        && !(key.getAlgorithm().equals("ECDSA")
                                && certified.getAlgorithm().equals("EC"))) {
            return false;
        }
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key of another curve or size cannot sign for this certificate
        }
    }

    /**
     * Every certificate of {@code clientCa} must be a CA (basicConstraints cA=true): a vendor's own
     * certificate given there would make the listener trust nothing it issued, silently.
     */
    static void requireCas(List<Path> clientCa) throws TlsFiles.TlsMaterialException {
        for (Path file : clientCa) {
            for (X509Certificate certificate : TlsFiles.certificates(file)) {
                if (certificate.getBasicConstraints() < 0) {
                    throw new TlsFiles.TlsMaterialException("clientCa " + file + ": "
                            + certificate.getSubjectX500Principal().getName()
                            + " is not a CA certificate (basicConstraints cA=false): give the CA that issues the"
                            + " client certificates, not a client's own certificate");
                }
            }
        }
    }
}
