package dev.vendorgate.gateway.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes, once per request, the one form of the request target that routes are matched on,
 * that is authorised, and that is forwarded: percent-decoded exactly once, dot segments
 * resolved, repeated slashes merged. Input that different servers could read differently
 * (encoded {@code /} or {@code \}, {@code %00}, invalid or overlong UTF-8, {@code ..} above the
 * root, {@code ;} path parameters, raw characters outside RFC 3986) is refused instead of guessed.
 *
 * @param path the decoded canonical path, for matching
 * @param encodedPath the canonical path re-encoded for the upstream's request line
 * @param rawQuery the query as sent (validated, not decoded), or null
 */
public record CanonicalTarget(String path, String encodedPath, String rawQuery) {

    /** The request line target for the upstream: encoded path plus query. */
    public String forUpstream() {
        return rawQuery == null ? encodedPath : encodedPath + "?" + rawQuery;
    }

    /** Parses an origin-form request target, or throws with a reason fit for the client. */
    public static CanonicalTarget parse(String target) throws InvalidTargetException {
        if (target.isEmpty() || target.charAt(0) != '/') {
            throw new InvalidTargetException("the request target must be a path starting with '/'");
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? null : target.substring(question + 1);
        if (rawQuery != null) {
            checkQuery(rawQuery);
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(parts.length);
        boolean trailingSlash = false;
        for (int i = 0; i < parts.length; i++) {
            String segment = decodeSegment(parts[i]);
            boolean last = i == parts.length - 1;
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidTargetException("the path climbs above the root with '..'");
                }
                segments.remove(segments.size() - 1);
                trailingSlash = last;
            } else if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = last; // empty segments ('//') merge; a final one keeps the trailing slash
            } else {
                segments.add(segment);
                trailingSlash = false;
            }
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        StringBuilder encoded = new StringBuilder(rawPath.length());
        for (String segment : segments) {
            path.append('/').append(segment);
            encoded.append('/');
            encode(segment, encoded);
        }
        if (segments.isEmpty() || trailingSlash) {
            path.append('/');
            encoded.append('/');
        }
        return new CanonicalTarget(path.toString(), encoded.toString(), rawQuery);
    }

    private static String decodeSegment(String raw) throws InvalidTargetException {
        int start = 0;
        int end = raw.length();
        boolean plain = true;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                plain = false;
            } else if (c == ';') {
                throw new InvalidTargetException("path parameters (';') are not accepted");
            } else if (!isPathChar(c)) {
                throw new InvalidTargetException("the path contains a character that must be percent-encoded");
            }
        }
        if (plain) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(end - start);
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            if (i + 2 >= end) {
                throw new InvalidTargetException("incomplete percent-encoding in the path");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new InvalidTargetException("invalid percent-encoding in the path");
            }
            int b = (hi << 4) | lo;
            if (b == '/' || b == '\\') {
                throw new InvalidTargetException("encoded '/' or '\\' in the path is ambiguous");
            }
            if (b < 0x20 || b == 0x7F) {
                throw new InvalidTargetException("encoded control characters (such as %00) are not accepted");
            }
            bytes.put((byte) b);
            i += 2;
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTargetException("the path is not valid UTF-8 once decoded");
        }
    }

    private static void checkQuery(String query) throws InvalidTargetException {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length()
                        || Character.digit(query.charAt(i + 1), 16) < 0
                        || Character.digit(query.charAt(i + 2), 16) < 0) {
                    throw new InvalidTargetException("invalid percent-encoding in the query");
                }
                i += 2;
            } else if (!isPathChar(c) && c != '?' && c != '/' && c != ';') {
                throw new InvalidTargetException("the query contains a character that must be percent-encoded");
            }
        }
    }

    /** RFC 3986 pchar without '%': unreserved, sub-delims (';' handled apart), ':' and '@'. */
    private static boolean isPathChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', '=', ':', '@' -> true;
            default -> false;
        };
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void encode(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xFF;
            if (unsigned < 0x80 && isPathChar((char) unsigned)) {
                out.append((char) unsigned);
            } else {
                out.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 15]);
            }
        }
    }

    /** The target cannot be read without ambiguity; the message is safe to show the client. */
    public static final class InvalidTargetException extends Exception {
        public InvalidTargetException(String message) {
            super(message, null, false, false);
        }
    }
}
