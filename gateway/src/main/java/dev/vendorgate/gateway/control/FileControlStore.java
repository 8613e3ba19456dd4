package dev.vendorgate.gateway.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * The embedded control store: an append-only journal on local disk. Each change is one line,
 * {@code <crc32> <json>}, written and fsync'd before it is acknowledged. At start the journal is
 * replayed; a torn last line (a crash mid-write) is detected by its checksum, skipped with a
 * warning and cut off, and every earlier change is kept. The journal is compacted atomically
 * (write a new file, fsync, rename over the old one) once it grows long.
 */
public final class FileControlStore implements ControlStore {

    static final String JOURNAL = "journal.log";
    static final String COMPACTING = "journal.compacting";
    static final String LOCK = "lock";
    static final int COMPACT_AFTER = 10_000;
    private static final Logger LOG = Logger.getLogger(FileControlStore.class.getName());

    private final Path dir;
    private final Clock clock;
    private final ExecutorService writer;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel journal;
    private ControlState state = ControlState.EMPTY;
    private int records;
    private volatile boolean healthy = true;

    private FileControlStore(Path dir, Clock clock, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "vendorgate-journal");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens (creating if needed) the state folder and takes its lock: one gateway per folder. */
    public static FileControlStore open(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel =
                FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another gateway in this same process
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the state folder " + dir + " is in use by another gateway process");
        }
        return new FileControlStore(dir, clock, lockChannel, lock);
    }

    @Override
    public synchronized ControlState load() throws IOException {
        Path file = dir.resolve(JOURNAL);
        Files.deleteIfExists(dir.resolve(COMPACTING)); // a compaction that did not finish; the journal is intact
        ControlState loaded = ControlState.EMPTY;
        int count = 0;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int line = 0;
            long goodLength = 0;
            while (start < bytes.length) {
                line++;
                int end = indexOf(bytes, (byte) '\n', start);
                boolean last = end < 0 || end == bytes.length - 1;
                ControlChange change = end < 0 ? null : parse(bytes, start, end);
                if (change == null) {
                    if (last) {
                        int tornLine = line;
                        LOG.warning(() -> file + ": line " + tornLine + " is incomplete or corrupt (a crash while "
                                + "writing?); it is ignored and every earlier change is kept");
                        break;
                    }
                    throw new IOException(file + ": line " + line + " is corrupt; the control state cannot be trusted. "
                            + "Move the file aside to start empty, or restore it from a backup.");
                }
                loaded = loaded.apply(change);
                count++;
                goodLength = end + 1L;
                start = end + 1;
            }
            if (goodLength < bytes.length) {
                try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    truncate.truncate(goodLength);
                    truncate.force(true);
                }
            }
        }
        journal =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        state = loaded;
        records = count;
        return loaded;
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The change on one journal line, or null if the line is torn or corrupt. */
    private static ControlChange parse(byte[] bytes, int start, int end) {
        if (end - start < 10 || bytes[start + 8] != ' ') {
            return null;
        }
        String crcText = new String(bytes, start, 8, StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(bytes, start + 9, end - start - 9);
        try {
            if (Long.parseLong(crcText, 16) != crc.getValue()) {
                return null;
            }
            return ControlCodec.decode(new String(bytes, start + 9, end - start - 9, StandardCharsets.UTF_8));
        } catch (NumberFormatException | IOException e) {
            return null;
        }
    }

    static byte[] line(ControlChange change) {
        byte[] json = ControlCodec.encode(change).getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] prefix = String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[prefix.length + json.length + 1];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(json, 0, line, prefix.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    @Override
    public CompletableFuture<Void> persist(ControlChange change) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        write(change);
                    } catch (IOException e) {
                        healthy = false;
                        throw new java.io.UncheckedIOException(
                                "cannot write the control journal in " + dir + ": " + e.getMessage(), e);
                    }
                },
                writer);
    }

    private synchronized void write(ControlChange change) throws IOException {
        if (journal == null) {
            throw new IOException("the store was not loaded");
        }
        ByteBuffer buffer = ByteBuffer.wrap(line(change));
        while (buffer.hasRemaining()) {
            journal.write(buffer);
        }
        journal.force(false);
        healthy = true;
        state = state.apply(change);
        if (++records > COMPACT_AFTER) {
            compact();
        }
    }

    /** Rewrites the journal as the fewest changes that rebuild the current state. */
    synchronized void compact() throws IOException {
        Path temporary = dir.resolve(COMPACTING);
        List<ControlChange> changes = state.asChanges(clock.instant());
        try (FileChannel out = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ControlChange change : changes) {
                ByteBuffer buffer = ByteBuffer.wrap(line(change));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }
        journal.close();
        Files.move(
                temporary, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
        journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        records = changes.size();
        LOG.info(() -> "compacted the control journal to " + records + " changes");
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                if (journal != null) {
                    journal.close();
                }
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warning(() -> "closing the control journal: " + e.getMessage());
            }
        }
    }
}
