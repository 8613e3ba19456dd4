package dev.vendorgate.gateway.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The SHA-256 of the policy file's content as last read, through any symlinks: how the watcher tells
 * a real change (a ConfigMap swap, an edit) from the other events of the folder. Blocking file I/O.
 */
final class PolicyContent {

    private final Path file;
    private byte[] seen;

    PolicyContent(Path file) {
        this.file = file;
    }

    /** Records the current content as seen. */
    synchronized void changed() {
        byte[] now = digest();
        if (now != null) {
            seen = now;
        }
    }

    /** Whether the content now differs from the content last seen; false while the file is missing. */
    synchronized boolean differs() {
        byte[] now = digest();
        return now != null && !Arrays.equals(now, seen);
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null; // missing or mid-swap: look again on the next event or poll
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
