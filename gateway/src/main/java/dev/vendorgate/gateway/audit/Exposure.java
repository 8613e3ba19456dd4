package dev.vendorgate.gateway.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a vendor got and what it sent in a window, from the audit trails of one or more nodes:
 * every object served to it (canonical path, bytes, count, first and last time, who fetched it
 * with what) and every upload it made, with the chain position (file, seq, record hash) of each
 * record used and the checkpoints that sign them. Files are scanned side by side
 * ({@link ExposureScan}: only the vendor's request records are parsed), so memory grows with
 * what was exposed, not with the trail.
 *
 * <p>Served: a GET or HEAD the gateway allowed and answered 2xx (206 included), with the bytes it
 * actually sent, a transfer cut short included (marked partial: a part of an object is an exposure
 * too). Upload: any other method than GET, HEAD, OPTIONS and TRACE whose body the gateway received
 * at least one byte of, whatever the answer.
 */
public final class Exposure {

    /** One object served: totals and who fetched it. */
    public static final class Served {
        long bytes;
        long count;
        long partial;
        long onProbation;
        Instant first;
        Instant last;
        final Set<String> clients = new TreeSet<>();
        final Set<String> certificates = new TreeSet<>();
        final Set<String> addresses = new TreeSet<>();
        final Set<String> tokens = new TreeSet<>();

        void add(
                long sent,
                boolean cut,
                boolean probation,
                Instant time,
                String client,
                String certificate,
                String address,
                String token) {
            bytes += sent;
            count++;
            partial += cut ? 1 : 0;
            onProbation += probation ? 1 : 0;
            first = first == null || time.isBefore(first) ? time : first;
            last = last == null || time.isAfter(last) ? time : last;
            add(clients, client);
            add(certificates, certificate);
            add(addresses, address);
            add(tokens, token);
        }

        void merge(Served other) {
            bytes += other.bytes;
            count += other.count;
            partial += other.partial;
            onProbation += other.onProbation;
            first = first == null || other.first.isBefore(first) ? other.first : first;
            last = last == null || other.last.isAfter(last) ? other.last : last;
            clients.addAll(other.clients);
            certificates.addAll(other.certificates);
            addresses.addAll(other.addresses);
            tokens.addAll(other.tokens);
        }

        private static void add(Set<String> set, String value) {
            if (value != null) {
                set.add(value);
            }
        }
    }

    /** One upload the vendor made. */
    public record Upload(
            Instant time,
            String method,
            String path,
            long bytes,
            int status,
            String decision,
            String reason,
            String client,
            String certSha256,
            String remote,
            String tokenId,
            boolean probation,
            int trail,
            long seq) {}

    /** A checkpoint: its seq and the SHA-256 of its line ({@code audit verify --head SEQ:HASH}). */
    public record Head(long seq, String hash, String time) {}

    /** The seqs and record hashes used from one file, in order. */
    static final class Positions {
        long[] seqs = new long[16];
        String[] hashes = new String[16];
        int size;

        void add(long seq, String hash) {
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            seqs[size] = seq;
            hashes[size++] = hash;
        }
    }

    /** What was read of one folder. */
    static final class Trail {
        final String dir;
        final List<String> files = new ArrayList<>();
        final Map<String, Positions> records = new TreeMap<>();
        final List<Head> heads = new ArrayList<>();
        long throughSeq = -1;
        long lastListed = -1;
        Head covering;
        Head latest;
        long uncovered;

        Trail(String dir) {
            this.dir = dir;
        }
    }

    final String vendor;
    final Instant from;
    final Instant to;
    final Map<String, Served> objects = new TreeMap<>();
    final List<Upload> uploads = new ArrayList<>();
    final List<Trail> trails = new ArrayList<>();
    final Set<String> vendorsSeen = new TreeSet<>();
    long vendorRecords;
    long inWindow;
    long unreadable;
    Instant spanFirst;
    Instant spanLast;

    private Exposure(String vendor, Instant from, Instant to) {
        this.vendor = vendor;
        this.from = from;
        this.to = to;
    }

    /** Reads every record of {@code dirs} and collects {@code vendor}'s exposure in [from, to). */
    public static Exposure build(List<Path> dirs, String vendor, Instant from, Instant to) throws IOException {
        return build(dirs, vendor, from, to, null);
    }

    /**
     * As {@link #build(List, String, Instant, Instant)}, reading folder {@code i} only up to seq
     * {@code limits[i]} (what a manifest was built from); null reads everything.
     */
    static Exposure build(List<Path> dirs, String vendor, Instant from, Instant to, long[] limits) throws IOException {
        Exposure exposure = new Exposure(vendor, from, to);
        List<ExposureScan> scans = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Trail trail = new Trail(dirs.get(i).toString());
            exposure.trails.add(trail);
            long limit = limits == null ? Long.MAX_VALUE : limits[i];
            for (Path file : AuditFiles.list(dirs.get(i))) {
                if (AuditFiles.firstSeq(file) <= limit) {
                    trail.files.add(file.getFileName().toString());
                    scans.add(new ExposureScan(i, file, limit, vendor, from, to));
                }
            }
        }
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Math.min(scans.size(), 8)));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "exposure-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ExposureScan>> done = new ArrayList<>();
            for (ExposureScan scan : scans) {
                done.add(pool.submit(scan::run));
            }
            for (Future<ExposureScan> scan : done) {
                exposure.merge(scan.get()); // in chain order
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        exposure.trails.forEach(Exposure::finish);
        if (exposure.vendorRecords == 0) {
            exposure.vendorsSeen(dirs); // only to say which vendors there are
        }
        return exposure;
    }

    private void merge(ExposureScan scan) {
        Trail trail = trails.get(scan.trail);
        trail.throughSeq = Math.max(trail.throughSeq, scan.throughSeq);
        trail.heads.addAll(scan.heads);
        if (scan.positions.size > 0) {
            trail.records.put(scan.file, scan.positions);
            trail.lastListed = Math.max(trail.lastListed, scan.positions.seqs[scan.positions.size - 1]);
        }
        scan.objects.forEach((path, served) -> objects.merge(path, served, (a, b) -> {
            a.merge(b);
            return a;
        }));
        uploads.addAll(scan.uploads);
        vendorRecords += scan.vendorRecords;
        inWindow += scan.inWindow;
        unreadable += scan.unreadable;
        Instant last = scan.last();
        spanFirst =
                scan.first != null && (spanFirst == null || scan.first.isBefore(spanFirst)) ? scan.first : spanFirst;
        spanLast = last != null && (spanLast == null || last.isAfter(spanLast)) ? last : spanLast;
    }

    /** The checkpoints the listed records rest on: the first after the last of them, and the latest. */
    private static void finish(Trail trail) {
        trail.latest = trail.heads.isEmpty() ? null : trail.heads.get(trail.heads.size() - 1);
        for (Head head : trail.heads) {
            if (head.seq() > trail.lastListed && trail.lastListed >= 0) {
                trail.covering = head;
                break;
            }
        }
        long signedTo = trail.latest == null ? -1 : trail.latest.seq();
        for (Positions p : trail.records.values()) {
            for (int i = 0; i < p.size; i++) {
                trail.uncovered += p.seqs[i] > signedTo ? 1 : 0;
            }
        }
    }

    /** Collects the vendors of the trail's request records, for the error that names the vendor unknown. */
    private void vendorsSeen(List<Path> dirs) throws IOException {
        AuditLines.read(dirs, new AuditLines.Visitor() {
            @Override
            public void file(int index, Path dir, Path file) {
                // every file alike
            }

            @Override
            public void line(String line) {
                if (vendorsSeen.size() < 1000 && line.contains("\"type\":\"request\"")) {
                    int at = line.indexOf("\"vendor\":\"");
                    int end = at < 0 ? -1 : line.indexOf('"', at + 10);
                    if (end > at + 10) {
                        vendorsSeen.add(line.substring(at + 10, end));
                    }
                }
            }
        });
    }

    static String host(String remote) {
        if (remote == null) {
            return null;
        }
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }

    public String vendor() {
        return vendor;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    /** Every vendor with a request record anywhere in the trails read (collected when the vendor has none). */
    public Set<String> vendorsSeen() {
        return vendorsSeen;
    }

    /** The vendor's request records anywhere in the trails read. */
    public long vendorRecords() {
        return vendorRecords;
    }

    public long inWindow() {
        return inWindow;
    }

    public Instant spanFirst() {
        return spanFirst;
    }

    public Instant spanLast() {
        return spanLast;
    }

    /** Records used that no checkpoint signed when they were read. */
    public long unsigned() {
        return trails.stream().mapToLong(t -> t.uncovered).sum();
    }

    public int files() {
        return trails.stream().mapToInt(t -> t.files.size()).sum();
    }
}
