package dev.vendorgate.gateway.token;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Token parsing takes any string a client puts after "Bearer" and either parses a strict compact
 * JWS or refuses it with {@link CompactJwt.Invalid}: no other exception, whatever the header,
 * payload or signature hold. Seeds replay in every test run.
 */
class CompactJwtFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesOrRefuses(byte[] bytes) {
        String token = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            CompactJwt.parse(token);
        } catch (CompactJwt.Invalid refused) {
            // the only way to fail
        }
    }
}
