package dev.vendorgate.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human units used in policy files and on the command line: durations such as
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} and sizes such as
 * {@code 512}, {@code 64KiB}, {@code 10MiB}, {@code 50GiB}, {@code 1TB}.
 */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,40})\\s*([KMGT]i?B|B)?");

    private Units() {}

    /**
     * Parses a duration with exactly one unit.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a whole number and a unit: "
                    + "ms, s, m, h or d (for example 500ms, 30s, 10m)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /**
     * Parses a byte size: a plain number of bytes, or a number with a binary (KiB, MiB, GiB,
     * TiB) or decimal (KB, MB, GB, TB) unit.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write bytes or a number with a unit: "
                    + "KiB, MiB, GiB, TiB, KB, MB, GB or TB (for example 10MiB)");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit.toUpperCase(Locale.ROOT)) {
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** A size in the largest binary unit that divides it, for messages and tables. */
    public static String formatSize(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }

    private static final String[] HUMAN_UNITS = {"KiB", "MiB", "GiB", "TiB"};

    /**
     * A byte count for people, in problem details, reports and tables: {@code 50 MiB},
     * {@code 1.5 GiB}, {@code 900 bytes}; the largest binary unit it reaches, one decimal unless whole.
     */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        int unit = 0;
        double value = bytes / 1024.0;
        while (value >= 1024 && unit < HUMAN_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.1f", value);
        return number + " " + HUMAN_UNITS[unit];
    }
}
