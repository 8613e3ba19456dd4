package dev.vendorgate.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The tamper-evident audit trail. Event loops hand records over without blocking; one writer
 * thread appends them as JSON lines, each carrying the SHA-256 of the line before it
 * ({@code prev}), so any edit, deletion or reordering breaks the chain. At every checkpoint the
 * file is fsync'd and the chain head is signed, in the trail and in the {@code HEAD} file, so a
 * cut tail is detected too. The chain continues across files.
 */
public final class AuditLog implements AutoCloseable {

    static final String GENESIS = "0".repeat(64);
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private final AuditSettings settings;
    private final Clock clock;
    private final AuditSigner signer;
    private final AuditHandOff queue;

    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong absorbed = new AtomicLong();
    private final RefusalAggregator refusals = new RefusalAggregator();
    private final List<Object> retry = new ArrayList<>();
    /** The writer thread's buffer, kept: a batch is often a few records, and a new 64 KiB each time was most of
     *  the gateway's allocation under load. Direct, so the file channel writes it without a copy. */
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

    private volatile boolean healthy = true;
    private volatile boolean running = true;

    // writer-thread state
    private final MessageDigest sha256;
    private long seq;
    private String head = GENESIS;
    private FileChannel file;
    private long fileBytes;
    private int fileDay = -1;
    private long checkpointedSeq = -1;
    private long lastCheckpointNanos = System.nanoTime();
    private volatile String startProblem;
    private volatile Head lastHead;
    private volatile java.util.function.Consumer<Head> checkpointListener = h -> {};

    private AuditLog(AuditSettings settings, Clock clock, AuditSigner signer) {
        this.settings = settings;
        this.clock = clock;
        this.signer = signer;
        this.queue = new AuditHandOff(settings.queueCapacity());
        this.sha256 = newDigest();
        this.writer = new Thread(this::run, "vendorgate-audit");
        this.writer.setDaemon(true);
        this.queue.writer(writer);
    }

    /** Opens the trail in the settings' folder, continuing the chain of what is there. */
    public static AuditLog open(AuditSettings settings, Clock clock) throws IOException {
        Files.createDirectories(settings.dir());
        AuditLog log = new AuditLog(settings, clock, AuditSigner.loadOrCreate(settings.signingKey(), settings.dir()));
        AuditRecovery.Recovered recovered = AuditRecovery.recover(settings, clock, log.signer);
        log.seq = recovered.seq();
        log.head = recovered.head();
        log.checkpointedSeq = recovered.checkpointedSeq();
        log.startProblem = recovered.startProblem();
        log.file = recovered.file();
        log.fileBytes = recovered.fileBytes();
        log.fileDay = recovered.fileDay();
        log.writer.start();
        if (recovered.record() != null) {
            log.queue.offer(recovered.record()); // the queue is empty: there is room
        }
        return log;
    }

    /** Why the trail did not verify when the gateway started, or null if it did. */
    public String startProblem() {
        return startProblem;
    }

    /** The last signed checkpoint, as published for others to hold the trail to ({@code audit verify --head}). */
    public record Head(long seq, String hash, String keyId, Instant time) {
        public String text() {
            return seq + ":" + hash;
        }
    }

    /**
     * Removes whole files older than {@code maxAge}, leaving a signed anchor (see
     * {@link AuditPruner}); blocking file I/O, for a maintenance thread. Failures are logged and
     * retried at the next call.
     */
    public void prune(java.time.Duration maxAge) {
        AuditPruner.retain(this, settings.dir(), signer, clock, maxAge);
    }

    /** Tells {@code listener} of every checkpoint signed (on the audit thread), to anchor it outside the host. */
    public void onCheckpoint(java.util.function.Consumer<Head> listener) {
        this.checkpointListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The last checkpoint this gateway signed, or null before the first. */
    public Head head() {
        return lastHead;
    }

    /**
     * Whether new vendor requests may be admitted: the trail is writable and has room. When the
     * trail is not fail-closed this is always true.
     */
    public boolean accepting() {
        return !settings.failClosed() || (healthy && queue.remainingCapacity() > settings.queueCapacity() / 16);
    }

    /** Whether the last write succeeded. */
    public boolean healthy() {
        return healthy;
    }

    /** Records waiting to be written. */
    public int queued() {
        return queue.size();
    }

    /** Records lost because the queue was full (should stay 0: admission stops well before). */
    public long dropped() {
        return dropped.get();
    }

    /** Refusals counted into a {@code refusals} record instead of written one by one, since start. */
    public long aggregated() {
        return absorbed.get();
    }

    /** Records written since start. */
    public long written() {
        return written.get();
    }

    public Path dir() {
        return settings.dir();
    }

    /** Hands over a request record; never blocks. A refusal like one already written this second is counted instead. */
    public void record(AuditRecord record) {
        if (refusals.absorb(record)) {
            absorbed.incrementAndGet();
            return;
        }
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    /** Hands over an admin record; waits briefly for room, since an admin action must be on record. */
    public void admin(AdminRecord record) {
        try {
            if (!queue.offer(record, 2, TimeUnit.SECONDS)) {
                dropped.incrementAndGet();
                LOG.severe(() -> "audit queue full: admin action '" + record.action() + "' by " + record.operator()
                        + " was not recorded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(1024);
        long interval = settings.checkpointInterval().toNanos();
        while (running || !queue.isEmpty() || !retry.isEmpty()) {
            int taken = queue.take(batch, 1024, !running);
            if (Thread.interrupted()) {
                running = false;
            }
            batch.addAll(refusals.drain(now(), !running)); // records carry the gateway's clock's times
            boolean wrote = write(batch);
            if (!wrote && running) {
                sleepQuietly();
            }
            batch.clear();
            if (wrote && running) {
                queue.linger(taken);
            }
            // after a failed checkpoint (all records written), the checkpoint is what is retried: the trail is
            // healthy again once it can sign, with no new record needed to find out
            if (wrote
                    && seq - 1 > checkpointedSeq
                    && (!healthy || System.nanoTime() - lastCheckpointNanos >= interval)
                    && !checkpoint()
                    && running) {
                sleepQuietly();
            }
        }
        List<Object> last = new ArrayList<>(refusals.drain(now(), true));
        if (!last.isEmpty()) {
            write(last);
        }
        if (retry.isEmpty() && seq - 1 > checkpointedSeq) {
            checkpoint(); // also after a failed one: the disk may be back, and a signed end is worth one more try
        }
        closeFile();
    }

    /** Writes the batch (after any earlier batch that failed); false if the disk failed. */
    private boolean write(List<Object> batch) {
        retry.addAll(batch);
        if (retry.isEmpty()) {
            return true;
        }
        long startSeq = seq;
        String startHead = head;
        long startBytes = -1;
        try {
            rotateIfNeeded();
            startBytes = fileBytes;
            ByteBuffer buffer = out;
            buffer.clear();
            for (Object record : retry) {
                byte[] line = encode(record);
                if (buffer.remaining() < line.length + 1) {
                    flush(buffer);
                    if (buffer.capacity() < line.length + 1) {
                        buffer = out = ByteBuffer.allocateDirect(line.length + 1);
                    }
                }
                buffer.put(line).put((byte) '\n');
                commit(line);
            }
            flush(buffer);
            written.addAndGet(retry.size());
            retry.clear();
            if (!healthy) {
                LOG.info("audit trail writable again");
            }
            healthy = true;
            return true;
        } catch (IOException | RuntimeException e) {
            if (healthy) {
                LOG.severe(() -> "cannot write the audit trail in " + settings.dir() + ": " + e.getMessage()
                        + (settings.failClosed() ? "; refusing vendor requests until it can" : ""));
            }
            healthy = false;
            undo(startSeq, startHead, startBytes);
            return false;
        }
    }

    /** Puts the chain and the file back as they were before a write that failed part way. */
    private void undo(long startSeq, String startHead, long startBytes) {
        seq = startSeq;
        head = startHead;
        if (file != null && startBytes >= 0) {
            try {
                file.truncate(startBytes);
                fileBytes = startBytes;
                return;
            } catch (IOException e) {
                // cannot even truncate: start a new file next time; the verifier will report the partial tail
            }
        }
        closeFile();
        file = null;
    }

    /** The writer thread's line builder, kept between records (a record is about 600 characters). */
    private final StringBuilder lineBuilder = new StringBuilder(1024);

    private byte[] encode(Object record) {
        lineBuilder.setLength(0);
        lineBuilder
                .append("{\"seq\":")
                .append(seq)
                .append(",\"prev\":\"")
                .append(head)
                .append('"');
        if (record instanceof AuditRecord request) {
            request.appendFields(lineBuilder);
        } else if (record instanceof RefusalAggregator.Summary summary) {
            summary.appendFields(lineBuilder);
        } else if (record instanceof RecoveryRecord recovery) {
            recovery.appendFields(lineBuilder);
        } else {
            ((AdminRecord) record).appendFields(lineBuilder);
        }
        return lineBuilder.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void commit(byte[] line) {
        head = hash(line);
        seq++;
        fileBytes += line.length + 1;
    }

    private void flush(ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
        buffer.clear();
    }

    private void rotateIfNeeded() throws IOException {
        int day = clock.instant().atZone(ZoneOffset.UTC).getDayOfYear();
        if (file != null && fileBytes < settings.maxFileBytes() && day == fileDay) {
            return;
        }
        if (file != null) {
            file.force(true);
            file.close();
        }
        Path path = settings.dir().resolve(AuditFiles.name(seq, clock.instant()));
        file = FileChannel.open(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        fileBytes = 0;
        fileDay = day;
    }

    /** Signs the chain head, fsyncs, and records the head in the HEAD file; false if the disk failed. */
    private boolean checkpoint() {
        long startSeq = seq;
        String startHead = head;
        long startBytes = -1;
        try {
            rotateIfNeeded();
            startBytes = fileBytes;
            String covered = head;
            long at = seq;
            byte[] bytes = signer.checkpointLine(at, covered, clock.instant());
            ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1);
            buffer.put(bytes).put((byte) '\n');
            flush(buffer);
            commit(bytes);
            file.force(false);
            AuditFiles.writeHead(settings.dir(), signer, at, head);
            lastHead = new Head(at, head, signer.keyId(), clock.instant());
            checkpointListener.accept(lastHead);
            checkpointedSeq = at;
            lastCheckpointNanos = System.nanoTime();
            if (!healthy) {
                LOG.info("audit trail writable again");
            }
            healthy = true;
            return true;
        } catch (IOException | RuntimeException e) {
            if (healthy) {
                LOG.severe(() -> "cannot write an audit checkpoint in " + settings.dir() + ": " + e.getMessage());
            }
            healthy = false;
            undo(startSeq, startHead, startBytes);
            return false;
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.force(true);
                file.close();
            } catch (IOException e) {
                // the next write reports the problem
            }
        }
    }

    private String hash(byte[] line) {
        return HexFormat.of().formatHex(sha256.digest(line));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, signs a last checkpoint and closes. */
    @Override
    public void close() {
        running = false;
        queue.wake(); // the writer ends now, not at its next 100 ms park
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Instant now() {
        return clock.instant();
    }
}
