package dev.vendorgate.gateway.tripwire;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts distinct objects in fixed memory (1 KiB), by linear counting: each object sets one bit
 * of a bitmap chosen by its hash; the share of bits still clear gives the count. Accurate to a
 * few percent up to some tens of thousands, then saturates at {@link #MAX_ESTIMATE}, which is
 * still far above any hourly floor worth setting. Lock-free: any thread may add.
 */
final class ObjectSketch {

    static final int WORDS = 128;
    static final int BITS = WORDS * 64;
    /** What a full bitmap reports: "at least this many". */
    static final long MAX_ESTIMATE = Math.round(BITS * Math.log(BITS));

    private final AtomicLongArray bits;

    ObjectSketch() {
        this.bits = new AtomicLongArray(WORDS);
    }

    ObjectSketch(long[] words) {
        this.bits = new AtomicLongArray(words.length == WORDS ? words : new long[WORDS]);
    }

    void add(int hash) {
        int h = hash * 0x9E3779B9; // spread the String hash's low bits
        h ^= h >>> 16;
        int bit = h & (BITS - 1);
        int word = bit >>> 6;
        long mask = 1L << (bit & 63);
        long current = bits.get(word);
        if ((current & mask) == 0) {
            bits.getAndAccumulate(word, mask, (a, b) -> a | b);
        }
    }

    long estimate() {
        int zero = 0;
        for (int i = 0; i < WORDS; i++) {
            zero += 64 - Long.bitCount(bits.get(i));
        }
        if (zero == 0) {
            return MAX_ESTIMATE;
        }
        return Math.round(-BITS * Math.log((double) zero / BITS));
    }

    long[] words() {
        long[] out = new long[WORDS];
        for (int i = 0; i < WORDS; i++) {
            out[i] = bits.get(i);
        }
        return out;
    }
}
