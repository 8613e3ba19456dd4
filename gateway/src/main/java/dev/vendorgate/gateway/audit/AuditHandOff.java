package dev.vendorgate.gateway.audit;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * How records pass from the event loops to the audit writer: a bounded queue a producer never waits on (but for
 * an admin record, which waits briefly for room), and a writer that is not woken per record. Between batches,
 * while records keep coming, the writer lingers {@link #LINGER_NANOS} unwoken; only when nothing is queued does
 * it park and ask the next producer to wake it. A wake-up per record (a futex call on the event loop, a context
 * switch on the writer) was about a tenth of the gateway's CPU under load.
 */
final class AuditHandOff {

    /** How long the writer lets records gather after a batch that was not full: about the most a record waits. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A batch this large is written without lingering after it: records come faster than the linger pays for. */
    private static final int FULL_BATCH = 256;

    /** The longest park with nothing queued: the writer also has refusal counts and checkpoints to see to. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ArrayBlockingQueue<Object> queue;

    /** Set by the writer just before it parks with nothing queued; the producer that clears it wakes the writer. */
    private final AtomicBoolean idle = new AtomicBoolean();

    private volatile Thread writer;

    AuditHandOff(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The thread that takes the records; called before it starts. */
    void writer(Thread thread) {
        this.writer = thread;
    }

    /** Hands over a record if there is room; never waits. */
    boolean offer(Object record) {
        if (queue.offer(record)) {
            wakeIfIdle();
            return true;
        }
        return false;
    }

    /** Hands over a record, waiting up to {@code timeout} for room. */
    boolean offer(Object record, long timeout, TimeUnit unit) throws InterruptedException {
        if (queue.offer(record, timeout, unit)) {
            wakeIfIdle();
            return true;
        }
        return false;
    }

    private void wakeIfIdle() {
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    /** Wakes the writer whether or not it is idle (to stop). */
    void wake() {
        LockSupport.unpark(writer);
    }

    int size() {
        return queue.size();
    }

    int remainingCapacity() {
        return queue.remainingCapacity();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * The writer's next batch, into {@code batch}: what is queued (up to {@code max}); when nothing is, it parks
     * until a record comes or 100 ms pass, unless {@code stopping}. Returns how many records it took.
     */
    int take(List<Object> batch, int max, boolean stopping) {
        Object first = queue.poll();
        if (first == null) {
            idle.set(true);
            first = queue.poll(); // a record offered before the flag was set would not have woken the writer
            if (first == null && !stopping) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                first = queue.poll();
            }
            idle.set(false);
        }
        if (first == null) {
            return 0;
        }
        batch.add(first);
        return 1 + queue.drainTo(batch, max - 1);
    }

    /** After a batch of {@code taken} records: if it was not full, lets the next records gather (one write for them). */
    void linger(int taken) {
        if (taken > 0 && taken < FULL_BATCH) {
            LockSupport.parkNanos(this, LINGER_NANOS);
        }
    }
}
