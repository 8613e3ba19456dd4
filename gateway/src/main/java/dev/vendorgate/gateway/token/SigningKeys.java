package dev.vendorgate.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's ES256 signing keys: {@code current} signs, {@code previous} still verifies
 * what it signed until those tokens expire, {@code next} is published ahead so that verifiers
 * that cache the key set know it before it signs. Private JWKs in one folder (mode 600), created
 * at first start; {@link #rotate} moves each one step.
 */
public final class SigningKeys {

    static final String CURRENT = "current.jwk";
    static final String NEXT = "next.jwk";
    static final String PREVIOUS = "previous.jwk";

    private final ECKey current;
    private final ECKey next;
    private final ECKey previous;
    private final Map<String, ECKey> byKid = new LinkedHashMap<>();
    private final Map<String, FileTime> stamps;

    private SigningKeys(ECKey current, ECKey next, ECKey previous, Map<String, FileTime> stamps) {
        this.current = current;
        this.next = next;
        this.previous = previous;
        this.stamps = stamps;
        for (ECKey key : new ECKey[] {current, next, previous}) {
            if (key != null) {
                byKid.put(key.getKeyID(), key);
            }
        }
    }

    /** Loads the keys in {@code dir}, creating the folder and any missing current or next key. */
    public static SigningKeys loadOrCreate(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve(CURRENT))) {
            if (Files.exists(dir.resolve(NEXT))) {
                move(dir.resolve(NEXT), dir.resolve(CURRENT));
            } else {
                write(dir.resolve(CURRENT), generate());
            }
        }
        if (!Files.exists(dir.resolve(NEXT))) {
            write(dir.resolve(NEXT), generate());
        }
        return load(dir);
    }

    static SigningKeys load(Path dir) throws IOException {
        Map<String, FileTime> stamps = new LinkedHashMap<>();
        ECKey current = read(dir.resolve(CURRENT), stamps);
        ECKey next = read(dir.resolve(NEXT), stamps);
        ECKey previous = Files.exists(dir.resolve(PREVIOUS)) ? read(dir.resolve(PREVIOUS), stamps) : null;
        return new SigningKeys(current, next, previous, stamps);
    }

    /** The keys again if their files changed on disk (a rotation by the CLI), else this. */
    public SigningKeys reloadIfChanged(Path dir) throws IOException {
        for (String name : new String[] {CURRENT, NEXT, PREVIOUS}) {
            Path file = dir.resolve(name);
            FileTime now = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (!java.util.Objects.equals(now, stamps.get(name))) {
                return loadOrCreate(dir);
            }
        }
        return this;
    }

    /** Moves each key one step: next signs, current only verifies, previous is dropped, a new next is made. */
    public static void rotate(Path dir) throws IOException {
        rotate(dir, false, false);
    }

    /**
     * Rotates the keys, in an emergency too.
     *
     * @param now sign from now on with a key made just now, not the published next key (which sat in
     *     the same folder as the current one and may have been taken with it); the old next is dropped
     * @param retireOld keep no previous key: every token the old keys signed is refused as soon as
     *     the gateway reads the folder again, not when those tokens expire
     * @return the key ids no longer trusted at all
     */
    public static List<String> rotate(Path dir, boolean now, boolean retireOld) throws IOException {
        SigningKeys before = loadOrCreate(dir);
        List<String> retired = new ArrayList<>();
        if (before.previous != null) {
            retired.add(before.previous.getKeyID());
        }
        Path freshNext = dir.resolve(NEXT + ".new");
        write(freshNext, generate());
        if (now) {
            Path freshCurrent = dir.resolve(CURRENT + ".new");
            write(freshCurrent, generate());
            retired.add(before.next.getKeyID());
            if (retireOld) {
                retired.add(before.current.getKeyID());
                Files.deleteIfExists(dir.resolve(PREVIOUS));
            } else {
                move(dir.resolve(CURRENT), dir.resolve(PREVIOUS));
            }
            move(freshCurrent, dir.resolve(CURRENT));
        } else if (retireOld) {
            retired.add(before.current.getKeyID());
            Files.deleteIfExists(dir.resolve(PREVIOUS));
            move(dir.resolve(NEXT), dir.resolve(CURRENT));
        } else {
            move(dir.resolve(CURRENT), dir.resolve(PREVIOUS));
            move(dir.resolve(NEXT), dir.resolve(CURRENT));
        }
        move(freshNext, dir.resolve(NEXT));
        return retired;
    }

    /** Whether {@code current} is older than {@code age}. */
    public boolean olderThan(Duration age, Instant now) {
        Date issued = current.getIssueTime();
        return issued != null && issued.toInstant().plus(age).isBefore(now);
    }

    public ECKey current() {
        return current;
    }

    /** A key that may have signed a token: current, previous or next. */
    public ECKey verificationKey(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    /** The public keys, as published at {@code /.well-known/jwks.json}. */
    public String jwksJson() {
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        byKid.values().forEach(k -> keys.add(k.toPublicJWK()));
        return new JWKSet(keys).toString(true);
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .issueTime(new Date())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private static ECKey read(Path file, Map<String, FileTime> stamps) throws IOException {
        try {
            stamps.put(file.getFileName().toString(), Files.getLastModifiedTime(file));
            ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                throw new IOException(file + ": not a private P-256 key");
            }
            return key;
        } catch (ParseException e) {
            throw new IOException(file + ": not a JWK: " + e.getMessage());
        }
    }

    private static void write(Path file, ECKey key) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
        move(temporary, file);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
