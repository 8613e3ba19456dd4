package dev.vendorgate.gateway.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The path canonicaliser either refuses a target or returns one canonical form that is a fixed
 * point: parsing what is forwarded gives it back unchanged, and it holds no dot segment, no raw
 * space or control character, and no encoded slash. Seeds replay in every test run; see
 * docs/security.md for a real fuzzing run.
 */
class CanonicalTargetFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void canonicalOrRefused(byte[] bytes) throws Exception {
        String target = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        CanonicalTarget parsed;
        try {
            parsed = CanonicalTarget.parse(target);
        } catch (CanonicalTarget.InvalidTargetException refused) {
            return;
        }
        String forwarded = parsed.forUpstream();
        if (!forwarded.startsWith("/")) {
            throw new AssertionError("not a path: " + forwarded);
        }
        for (int i = 0; i < forwarded.length(); i++) {
            char c = forwarded.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new AssertionError("raw byte " + (int) c + " forwarded in " + forwarded);
            }
        }
        String path = parsed.encodedPath();
        if (path.contains("/./")
                || path.contains("/../")
                || path.endsWith("/.")
                || path.endsWith("/..")
                || path.toUpperCase(java.util.Locale.ROOT).contains("%2F")) {
            throw new AssertionError("not canonical: " + path);
        }
        CanonicalTarget again = CanonicalTarget.parse(forwarded);
        if (!again.forUpstream().equals(forwarded) || !again.path().equals(parsed.path())) {
            throw new AssertionError(
                    "not a fixed point: " + target + " -> " + forwarded + " -> " + again.forUpstream());
        }
    }
}
