package dev.vendorgate.gateway.http;

/** Minimal JSON string quoting for the few bodies the gateway writes by hand on hot paths. */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Appends {@code value} as a quoted JSON string, or {@code null}. */
    public static StringBuilder quote(StringBuilder out, CharSequence value) {
        if (value == null) {
            return out.append("null");
        }
        // most values (times, ids, paths, codes) are printable ASCII with nothing to escape: copy those in one go (a
        // whole String in one copy: append(CharSequence, start, end) copies a character at a time)
        int n = value.length();
        int plain = 0;
        while (plain < n && plainAscii(value.charAt(plain))) {
            plain++;
        }
        if (plain == n && value instanceof String whole) {
            return out.append('"').append(whole).append('"');
        }
        out.append('"').append(value, 0, plain);
        if (plain == n) {
            return out.append('"');
        }
        for (int i = plain; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20
                            || c == 0x2028
                            || c == 0x2029
                            || Character.isSurrogate(c) && !validSurrogate(value, i)) {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 15])
                                .append(HEX[(c >> 8) & 15])
                                .append(HEX[(c >> 4) & 15])
                                .append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static boolean plainAscii(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    private static boolean validSurrogate(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
