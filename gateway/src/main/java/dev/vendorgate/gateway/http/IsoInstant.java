package dev.vendorgate.gateway.http;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An instant written as {@link Instant#toString()} writes it ({@code 2026-12-04T19:30:09.791Z}: the
 * fraction in groups of three digits, none when zero), without the formatter machinery behind it,
 * which was about an eighth of the audit writer's time (a time per record). Years outside
 * 0000-9999 are left to {@code Instant.toString}.
 */
public final class IsoInstant {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstant() {}

    /** Appends {@code instant} to {@code out} exactly as {@link Instant#toString()} would write it. */
    public static StringBuilder append(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            return out.append(instant);
        }
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(days); // arithmetic only: the formatter is what cost
        digits(out, date.getYear(), 4).append('-');
        digits(out, date.getMonthValue(), 2).append('-');
        digits(out, date.getDayOfMonth(), 2).append('T');
        digits(out, secondOfDay / 3600, 2).append(':');
        digits(out, secondOfDay / 60 % 60, 2).append(':');
        digits(out, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(out, nanos / 1000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        return out.append('Z');
    }

    /** {@link #append} to a new string. */
    public static String toString(Instant instant) {
        return append(new StringBuilder(30), instant).toString();
    }

    private static final int[] SCALE = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** {@code value} in {@code width} digits, zero-padded ({@code value} has no more digits than that). */
    private static StringBuilder digits(StringBuilder out, int value, int width) {
        if (width == 2) {
            return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
        }
        for (int i = width - 1; i >= 0; i--) {
            out.append((char) ('0' + value / SCALE[i] % 10));
        }
        return out;
    }
}
