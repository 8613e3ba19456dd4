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
        // most values (times, ids, paths, codes) are printable ASCII with nothing to escape: copy those in one go. A
        // String is scanned as one (not through CharSequence, an interface call a character where the values are of
        // several classes) and copied whole (append(CharSequence, start, end) copies a character at a time)
        int n = value.length();
        int plain = value instanceof String string ? plainPrefix(string) : plainPrefix(value);
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

    private static int plainPrefix(String value) {
        int n = value.length();
        int plain = 0;
        while (plain < n && plainAscii(value.charAt(plain))) {
            plain++;
        }
        return plain;
    }

    private static int plainPrefix(CharSequence value) {
        int n = value.length();
        int plain = 0;
        while (plain < n && plainAscii(value.charAt(plain))) {
            plain++;
        }
        return plain;
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
