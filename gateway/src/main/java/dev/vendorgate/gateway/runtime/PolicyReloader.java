package dev.vendorgate.gateway.runtime;

import dev.vendorgate.gateway.audit.AdminRecord;
import dev.vendorgate.gateway.control.SuspendMode;
import dev.vendorgate.policy.Policy;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import dev.vendorgate.policy.Vendor;
import dev.vendorgate.policy.VendorStatus;
import dev.vendorgate.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Reloads the policy file, on an admin call or when the file changes. The new policy is read,
 * validated and prepared off the event loops; only a policy without errors replaces the running
 * one, whole. A vendor the new policy suspends or removes has its open connections cut. Runtime
 * suspensions are not part of the policy, so no reload can lift one.
 */
public final class PolicyReloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PolicyReloader.class.getName());
    private static final long DEBOUNCE_MILLIS = 300;
    /** How often the watcher also compares the file's content, for changes no directory event announces. */
    private static final long POLL_SECONDS = 5;

    /** The outcome of a reload: applied, or refused with every error. */
    public record Result(
            boolean applied, List<String> errors, List<String> notes, Policy policy, List<String> changes) {
        Result(boolean applied, List<String> errors, List<String> notes, Policy policy) {
            this(applied, errors, notes, policy, List.of());
        }
    }

    private final GatewayState state;
    private final Path file;
    private final KillSwitch killSwitch;
    private WatchService watcher;
    private Thread watchThread;
    /** The content last read, so the watcher reloads once per change however it is announced. */
    private final PolicyContent content;

    public PolicyReloader(GatewayState state, Path file, KillSwitch killSwitch) {
        this.state = Objects.requireNonNull(state, "state");
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.killSwitch = killSwitch;
        this.content = new PolicyContent(this.file);
    }

    /** When the running policy was loaded, and how the last reload ended ({@code ok}, or its errors). */
    public record LastReload(java.time.Instant at, String source, boolean applied, String summary) {}

    private volatile LastReload last;
    private volatile java.time.Instant loadedAt;

    /** The last reload's result, or null when there has been none since start. */
    public LastReload last() {
        return last;
    }

    /** When the running policy was loaded by a reload, or null when it is still the one of the start. */
    public java.time.Instant loadedAt() {
        return loadedAt;
    }

    /**
     * What a reload would change, without applying it: the changes, or the errors. Blocking file
     * I/O and name resolution, as for {@link #reload}.
     */
    public synchronized Result preview() {
        Policy next;
        try {
            next = PolicyLoader.load(file);
        } catch (PolicyException e) {
            return new Result(
                    false, e.errors().stream().map(PolicyError::toString).toList(), List.of(), null);
        }
        try {
            SnapshotBuilder.build(next);
        } catch (GatewayConfigException e) {
            return new Result(false, e.errors(), List.of(), null);
        }
        Policy previous = state.snapshot().access().policy();
        List<String> notes = new ArrayList<>();
        if (!previous.listeners().equals(next.listeners())
                || !previous.state().equals(next.state())
                || !previous.audit().equals(next.audit())) {
            notes.add("changes to listeners, controlStore or audit would take effect only when the gateway restarts");
        }
        notes.addAll(crlListNotes(previous, next));
        return new Result(true, List.of(), notes, next, PolicyChanges.between(previous, next));
    }

    /** Reloads now (see {@link #reload(String, String)}), the source named in the reason. */
    public Result reload(String trigger) {
        return reload("admin-api", trigger);
    }

    /**
     * Reloads now; blocking (file I/O, name resolution): never call on an event loop. Every
     * reload, applied or refused, is an admin record naming its source ({@code file-watcher},
     * {@code admin-api}, {@code signal}), the SHA-256 of the policy text and what changed.
     */
    public synchronized Result reload(String source, String trigger) {
        content.changed(); // what this reload reads is now the content seen
        Policy next;
        try {
            next = PolicyLoader.load(file);
        } catch (PolicyException e) {
            List<String> errors = e.errors().stream().map(PolicyError::toString).toList();
            LOG.warning(() -> "policy reload (" + trigger + ") refused; the running policy stays:\n  "
                    + String.join("\n  ", errors));
            record(source, trigger, null, "invalid-policy", errors.size() + " error(s): " + String.join(" | ", errors));
            last = new LastReload(state.clock().instant(), source, false, errors.size() + " error(s)");
            return new Result(false, errors, List.of(), null);
        }
        GatewaySnapshot snapshot;
        try {
            snapshot = SnapshotBuilder.build(next);
        } catch (GatewayConfigException e) {
            LOG.warning(() -> "policy reload (" + trigger + ") refused; the running policy stays:\n  "
                    + String.join("\n  ", e.errors()));
            record(source, trigger, next.sha256(), "invalid-policy", String.join(" | ", e.errors()));
            last = new LastReload(
                    state.clock().instant(), source, false, e.errors().size() + " error(s)");
            return new Result(false, e.errors(), List.of(), null);
        }
        Policy previous = state.snapshot().access().policy();
        state.install(snapshot);
        List<String> notes = new ArrayList<>();
        if (!previous.listeners().equals(next.listeners())
                || !previous.state().equals(next.state())
                || !previous.audit().equals(next.audit())) {
            notes.add("changes to listeners, controlStore or audit take effect when the gateway restarts");
        }
        notes.addAll(crlListNotes(previous, next));
        for (Vendor before : previous.vendors()) {
            Vendor after = next.vendor(before.id()).orElse(null);
            boolean nowBlocked = after == null || after.status() == VendorStatus.SUSPENDED;
            if (nowBlocked && before.status() != VendorStatus.SUSPENDED && killSwitch != null) {
                killSwitch.cutConnections(before.id(), SuspendMode.SEVER);
                notes.add("vendor '" + before.id() + "' " + (after == null ? "removed" : "suspended by the policy")
                        + ": its connections were cut");
            }
        }
        List<String> changes = PolicyChanges.between(previous, next);
        last = new LastReload(
                state.clock().instant(), source, true, changes.isEmpty() ? "no change" : changes.size() + " change(s)");
        loadedAt = last.at();
        record(
                source,
                trigger,
                next.sha256(),
                "ok",
                "policy " + previous.sha256() + " -> " + next.sha256() + ": "
                        + (changes.isEmpty() ? "no change" : String.join("; ", changes)));
        LOG.info(() -> "policy reloaded (" + trigger + "): " + next.vendors().size() + " vendors, "
                + next.routes().size() + " routes" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
        return new Result(true, List.of(), notes, next, changes);
    }

    /**
     * A CRL file added to or removed from a listener's {@code tls.crl} is not picked up by a reload (the
     * CRL watcher follows the files the listener started with): say "restart needed" in so many words.
     */
    static List<String> crlListNotes(Policy previous, Policy next) {
        List<String> notes = new ArrayList<>();
        if (!previous.listeners()
                .vendor()
                .tls()
                .crl()
                .equals(next.listeners().vendor().tls().crl())) {
            notes.add("restart needed: listeners.vendor.tls.crl changed ("
                    + next.listeners().vendor().tls().crl()
                    + "); a reload only re-reads the CRL files the listener started with");
        }
        List<Path> before = previous.listeners().admin().map(a -> a.tls().crl()).orElse(List.of());
        List<Path> after = next.listeners().admin().map(a -> a.tls().crl()).orElse(List.of());
        if (!before.equals(after)) {
            notes.add("restart needed: listeners.admin.tls.crl changed (" + after
                    + "); a reload only re-reads the CRL files the listener started with");
        }
        return notes;
    }

    /** The reload's admin record: who or what asked, the policy's hash (the target) and what changed. */
    private void record(String source, String trigger, String sha256, String outcome, String detail) {
        if (state.audit() != null) {
            state.audit()
                    .admin(new AdminRecord(
                            state.clock().instant(),
                            null,
                            source,
                            null,
                            "policy-reload",
                            sha256,
                            trigger,
                            outcome,
                            detail));
        }
    }

    /**
     * Reloads whenever the policy's content changes: editors that replace the file, and a Kubernetes
     * ConfigMap's swap of the {@code ..data} symlink the file points through, which changes no entry named
     * like the file. Any event in the folder, and a poll every {@value #POLL_SECONDS} seconds (for a target
     * in another folder), compares the content's SHA-256 with the last one read.
     */
    public void startWatching() throws IOException {
        content.changed();
        Path dir = file.getParent();
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(
                watcher,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        watchThread = new Thread(this::watch, "vendorgate-policy-watch");
        watchThread.setDaemon(true);
        watchThread.start();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.poll(POLL_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    Thread.sleep(DEBOUNCE_MILLIS); // editors write in several steps, ConfigMaps in two renames
                    drain();
                }
                if (content.differs()) {
                    reload("file-watcher", "the policy file changed");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    private void drain() {
        WatchKey key;
        while ((key = watcher.poll()) != null) {
            key.pollEvents();
            key.reset();
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }
}
