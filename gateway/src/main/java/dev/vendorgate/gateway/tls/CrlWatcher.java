package dev.vendorgate.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Reloads the listeners' CRL files when they change, so that a certificate the CA revokes stops
 * working without a restart. Checked every few seconds off the event loops. New lists also end
 * the resumption of every TLS session saved before them ({@link ListenerTls#forgetSessions}).
 * A file that no longer reads as CRLs is reported and the lists in force stay: a broken update
 * never un-revokes anyone.
 */
public final class CrlWatcher {

    private static final Logger LOG = Logger.getLogger(CrlWatcher.class.getName());

    private record Stamp(long modified, long size) {}

    private static final class Watched {
        final String listener;
        final List<Path> files;
        final ListenerTls tls;
        List<Stamp> stamps;

        Watched(String listener, List<Path> files, ListenerTls tls) {
            this.listener = listener;
            this.files = files;
            this.tls = tls;
            this.stamps = stamps(files);
        }
    }

    private final List<Watched> watched = new CopyOnWriteArrayList<>();

    /** Watches {@code files} (the listener's {@code tls.crl}) for {@code tls}; no files, nothing to do. */
    public void watch(String listener, List<Path> files, ListenerTls tls) {
        if (!files.isEmpty()) {
            watched.add(new Watched(listener, List.copyOf(files), Objects.requireNonNull(tls, "tls")));
        }
    }

    /**
     * Reloads every changed set of files; {@code reloaded} is told which listener's trust now has
     * new lists (to cut connections whose certificate they revoke).
     */
    public void check(BiConsumer<String, ClientCertificateTrust> reloaded) {
        for (Watched w : watched) {
            List<Stamp> now = stamps(w.files);
            if (now.equals(w.stamps)) {
                continue;
            }
            w.stamps = now;
            try {
                List<X509CRL> crls = TlsFiles.crls(w.files);
                w.tls.trust().crls(crls);
                // only now: a session made between the two is still checked against the new lists at identification
                w.tls.forgetSessions();
                int entries = crls.stream()
                        .mapToInt(c -> c.getRevokedCertificates() == null
                                ? 0
                                : c.getRevokedCertificates().size())
                        .sum();
                LOG.info(() -> "listeners." + w.listener + ".tls.crl reloaded: " + crls.size() + " CRLs, " + entries
                        + " revoked certificates");
                reloaded.accept(w.listener, w.tls.trust());
            } catch (TlsFiles.TlsMaterialException e) {
                LOG.warning(() -> "listeners." + w.listener + ".tls.crl changed but cannot be used, the previous "
                        + "lists stay in force: " + e.getMessage());
            }
        }
    }

    private static List<Stamp> stamps(List<Path> files) {
        List<Stamp> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size()));
            } catch (IOException e) {
                stamps.add(new Stamp(-1, -1));
            }
        }
        return stamps;
    }
}
