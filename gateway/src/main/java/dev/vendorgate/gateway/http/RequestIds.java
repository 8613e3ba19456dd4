package dev.vendorgate.gateway.http;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids as ULIDs: 26 characters, sortable by time, unique without coordination, so that
 * audit records, logs and upstream logs of one request can be joined and ordered.
 */
public final class RequestIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RequestIds() {}

    /** A new id for a request that arrives now, by {@code clock} (the gateway's). */
    public static String next(Clock clock) {
        return next(clock.millis());
    }

    static String next(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & 0xFFFFL; // 16 random bits
        long low = random.nextLong(); // 64 random bits
        char[] out = new char[26];
        // 48-bit time: 10 characters
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits: 16 characters
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }
}
