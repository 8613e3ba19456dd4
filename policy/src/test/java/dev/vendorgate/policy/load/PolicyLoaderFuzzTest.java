package dev.vendorgate.policy.load;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import java.nio.file.Path;

/**
 * Whatever bytes a policy file holds, loading it either succeeds or fails with a
 * {@link PolicyException} whose every error names the file and says something: never another
 * exception, never a hang. The seeds in {@code PolicyLoaderFuzzTestInputs/} replay in every test
 * run; {@code JAZZER_FUZZ=1 mvn -pl policy test -Dtest=PolicyLoaderFuzzTest} fuzzes for real
 * (see docs/security.md).
 */
class PolicyLoaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void loadsOrExplains(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            PolicyLoader.parse(text, "fuzz.yaml", Path.of("."), false);
        } catch (PolicyException e) {
            if (e.errors().isEmpty()) {
                throw new AssertionError("a PolicyException without errors");
            }
            for (PolicyError error : e.errors()) {
                if (!"fuzz.yaml".equals(error.file())
                        || error.message() == null
                        || error.message().isBlank()) {
                    throw new AssertionError("an error without file or message: " + error);
                }
            }
        }
    }
}
