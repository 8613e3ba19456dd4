package dev.vendorgate.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The key that signs audit checkpoints (ECDSA P-256). The private key lives outside the audit
 * folder ({@code audit.signingKey}, mode 600, created at first start), so that whoever can
 * rewrite the trail cannot re-sign it; its public half is written beside it and into the audit
 * folder ({@code audit-signing.pub}), where it names the key the trail claims. Keep a copy of the
 * public key (or its fingerprint) elsewhere too: a verifier that trusts the folder's own copy
 * trusts whoever last wrote the folder.
 */
public final class AuditSigner {

    static final String PRIVATE_FILE = "audit-signing.key";
    static final String PUBLIC_FILE = "audit-signing.pub";
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final byte[] MANIFEST_PREFIX = "vendorgate-exposure-manifest\n".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private AuditSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = keyId(publicKey);
    }

    /** Loads (or creates) a signing key whose private half is in {@code dir} itself (tests, tools). */
    public static AuditSigner loadOrCreate(Path dir) throws IOException {
        return loadOrCreate(dir.resolve(PRIVATE_FILE), dir);
    }

    /**
     * Loads the signing key from {@code keyFile} (its public half in {@code keyFile.pub}),
     * creating both if there are none. A key left inside the audit folder by an earlier version
     * is moved out to {@code keyFile} first. The audit folder gets the public key if it has none;
     * if it names another key the trail was signed by someone else, and the gateway will not sign
     * over it.
     */
    public static AuditSigner loadOrCreate(Path keyFile, Path auditDir) throws IOException {
        Path privateFile = keyFile.toAbsolutePath().normalize();
        Path publicFile = privateFile.resolveSibling(privateFile.getFileName() + ".pub");
        Path legacy = auditDir.resolve(PRIVATE_FILE).toAbsolutePath().normalize();
        boolean inside = privateFile.equals(legacy);
        if (!inside && !Files.exists(privateFile) && Files.exists(legacy)) {
            createPrivateFolder(privateFile.getParent());
            Files.move(legacy, privateFile);
            Files.copy(auditDir.resolve(PUBLIC_FILE), publicFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.util.logging.Logger.getLogger(AuditSigner.class.getName())
                    .warning(() -> "moved the audit signing "
                            + "key out of the audit folder to " + privateFile
                            + ": whoever can rewrite the trail must not be "
                            + "able to re-sign it");
        }
        AuditSigner signer;
        try {
            if (Files.exists(privateFile)) {
                KeyFactory ec = KeyFactory.getInstance("EC");
                PrivateKey privateKey = ec.generatePrivate(new PKCS8EncodedKeySpec(pem(privateFile, "PRIVATE KEY")));
                signer =
                        new AuditSigner(privateKey, readPublicKey(inside ? auditDir.resolve(PUBLIC_FILE) : publicFile));
            } else {
                createPrivateFolder(privateFile.getParent());
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                writePem(privateFile, "PRIVATE KEY", pair.getPrivate().getEncoded(), true);
                if (!inside) {
                    writePem(publicFile, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
                }
                signer = new AuditSigner(pair.getPrivate(), pair.getPublic());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the audit signing key " + privateFile + " is not usable: " + e.getMessage(), e);
        }
        Path named = auditDir.resolve(PUBLIC_FILE);
        if (!Files.exists(named)) {
            writePem(named, "PUBLIC KEY", signer.publicKey.getEncoded(), false);
        } else if (!keyId(readPublicKey(named)).equals(signer.keyId)) {
            throw new IOException("the audit folder " + auditDir + " was signed with key " + keyId(readPublicKey(named))
                    + " but audit.signingKey " + privateFile + " is key " + signer.keyId + ": restore that key, or "
                    + "move the old trail aside and start a new folder");
        }
        return signer;
    }

    /**
     * Loads an existing signing key ({@code keyFile}, its public half in {@code keyFile.pub})
     * without creating or writing anything: for tools that sign what they derive from a trail.
     */
    public static AuditSigner load(Path keyFile) throws IOException {
        Path publicFile = keyFile.resolveSibling(keyFile.getFileName() + ".pub");
        if (!Files.exists(keyFile)) {
            throw new IOException(
                    keyFile + ": no such signing key (pass --signing-key with the policy's " + "audit.signingKey)");
        }
        if (!Files.exists(publicFile)) {
            throw new IOException(publicFile + ": the public half of the signing key is missing");
        }
        try {
            PrivateKey privateKey =
                    KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(keyFile, "PRIVATE KEY")));
            return new AuditSigner(privateKey, readPublicKey(publicFile));
        } catch (GeneralSecurityException e) {
            throw new IOException("the audit signing key " + keyFile + " is not usable: " + e.getMessage(), e);
        }
    }

    /** The public key an audit folder names ({@code audit-signing.pub}), or null when it has none. */
    public static PublicKey folderKey(Path auditDir) throws IOException {
        Path named = auditDir.resolve(PUBLIC_FILE);
        return Files.exists(named) ? readPublicKey(named) : null;
    }

    /** Signs an exposure manifest's body (separated from checkpoint signatures by its own prefix). */
    public String signManifest(byte[] body) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(MANIFEST_PREFIX);
            signature.update(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an exposure manifest", e);
        }
    }

    /** Whether {@code signature} is {@code key}'s signature of an exposure manifest's body. */
    public static boolean verifyManifest(PublicKey key, byte[] body, String signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(MANIFEST_PREFIX);
            verifier.update(body);
            return verifier.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void createPrivateFolder(Path folder) throws IOException {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(folder);
        }
    }

    /** Reads a PEM public key (the audit folder's, or a copy kept elsewhere). */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pem(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PEM EC public key", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The checkpoint line at {@code seq} of the trail, signed over {@code covered}, the hash of the line before. */
    byte[] checkpointLine(long seq, String covered, java.time.Instant time) {
        return ("{\"seq\":" + seq + ",\"prev\":\"" + covered + "\",\"type\":\"checkpoint\",\"time\":\"" + time
                        + "\",\"keyId\":\"" + keyId() + "\",\"signature\":\"" + sign(seq, covered) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Signs a checkpoint over the chain head it covers. */
    String sign(long seq, String head) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(signedBytes(seq, head));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint", e);
        }
    }

    /** Whether {@code signature} is a valid checkpoint signature by {@code key}. */
    static boolean verify(PublicKey key, long seq, String head, String signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signedBytes(seq, head));
            return verifier.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] signedBytes(long seq, String head) {
        return ("vendorgate-audit-checkpoint\n" + seq + "\n" + head).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code key} is the one named by {@code fingerprint}: its key id, or the SHA-256 (hex) of its encoding. */
    public static boolean matches(PublicKey key, String fingerprint) {
        String wanted = fingerprint.strip().toLowerCase(java.util.Locale.ROOT).replace(":", "");
        try {
            String full = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            return !wanted.isEmpty() && (wanted.equals(keyId(key)) || wanted.equals(full));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key's id: the first 16 hex digits of the SHA-256 of its encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + ": expected PEM '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": PEM body is not base64");
        }
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        String text = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        if (secret) {
            // created private from the start: never readable by others, not even for a moment
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
