package dev.vendorgate.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vendorgate.policy.PolicyError;
import dev.vendorgate.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each class of mistake a policy author can make, with the exact messages they get: file, line,
 * column, field path and what to do.
 */
class BrokenPoliciesTest {

    private static final Path DIR = Path.of("src/test/resources/broken");

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("syntax-error.yaml", List.of(
                "syntax-error.yaml:4:9: YAML syntax error: while scanning a quoted scalar")),
            Arguments.of("duplicate-key.yaml", List.of(
                "duplicate-key.yaml:13:5: duplicate key 'methods' (first defined on line 11)")),
            Arguments.of("unknown-field.yaml", List.of(
                "unknown-field.yaml:9:5: routes[0].pathPrefix: is required",
                "unknown-field.yaml:10:5: routes[0].pathprefix: unknown field; did you mean 'pathPrefix'?")),
            Arguments.of("wrong-type.yaml", List.of(
                "wrong-type.yaml:11:14: routes[0].methods: expected a list, found a string")),
            Arguments.of("missing-field.yaml", List.of(
                "missing-field.yaml:5:10: listeners.vendor.tls.key: is required")),
            Arguments.of("bad-spiffe.yaml", List.of(
                "bad-spiffe.yaml:13:17: vendors[1].identities[0].spiffe: must start with spiffe://")),
            Arguments.of("bad-duration.yaml", List.of(
                "bad-duration.yaml:8:62: upstreams.slow.timeouts.connect: '2 seconds' is not a duration; write a "
                        + "whole number and a unit: ms, s, m, h or d (for example 500ms, 30s, 10m)")),
            Arguments.of("bad-size.yaml", List.of(
                "bad-size.yaml:9:91: routes[0].maxBodyBytes: '10 megabytes' is not a size; write bytes or a number "
                        + "with a unit: KiB, MiB, GiB, TiB, KB, MB, GB or TB (for example 10MiB)")),
            Arguments.of("bad-bind.yaml", List.of(
                "bad-bind.yaml:4:11: listeners.vendor.bind: '0.0.0.0' is not host:port (for example 0.0.0.0:8443)")),
            Arguments.of("bad-method.yaml", List.of(
                "bad-method.yaml:9:50: routes[0].methods[0]: 'get' is not one of GET, HEAD, OPTIONS, POST, PUT, "
                        + "PATCH, DELETE (upper case)",
                "bad-method.yaml:9:55: routes[0].methods[1]: 'TRACE' is not one of GET, HEAD, OPTIONS, POST, PUT, "
                        + "PATCH, DELETE (upper case)")),
            Arguments.of("bad-path-prefix.yaml", List.of(
                "bad-path-prefix.yaml:9:27: routes[0].pathPrefix: must not contain '.' or '..' segments",
                "bad-path-prefix.yaml:10:32: routes[1].pathPrefix: segment 'datasets%2Fadmin' must be plain "
                        + "characters (no '%', '?', '#', ';', '\\' or spaces): routes match the decoded, canonical path",
                "bad-path-prefix.yaml:11:33: routes[2].pathPrefix: must start with '/'")),
            Arguments.of("unknown-route.yaml", List.of(
                "unknown-route.yaml:13:20: vendors[0].routes[1]: unknown route 'write'; defined: read")),
            Arguments.of("unknown-upstream.yaml", List.of(
                "unknown-upstream.yaml:9:66: routes[0].upstream: unknown upstream 'datasets'; defined: data")),
            Arguments.of("duplicate-vendor.yaml", List.of(
                "duplicate-vendor.yaml:11:9: vendors[1].id: duplicate vendor id 'acme' (also vendors[0].id)")),
            Arguments.of("duplicate-route.yaml", List.of(
                "duplicate-route.yaml:10:11: routes[1].id: duplicate route id 'read' (also routes[0].id)")),
            Arguments.of("overlapping-identity.yaml", List.of(
                "overlapping-identity.yaml:12:19: vendors[1].identities[0]: identity overlaps one of vendor 'acme' "
                        + "(vendors[0].identities[0]); a certificate could match both",
                "overlapping-identity.yaml:14:19: vendors[2].identities[0]: identity overlaps one of vendor 'acme' "
                        + "(vendors[0].identities[0]); a certificate could match both",
                "overlapping-identity.yaml:14:19: vendors[2].identities[0]: identity overlaps one of vendor "
                        + "'acme-contractor' (vendors[1].identities[0]); a certificate could match both")),
            Arguments.of("missing-scope.yaml", List.of(
                "missing-scope.yaml:14:14: vendors[0].routes[0]: route 'read' requires scope 'datasets:read', "
                        + "which is not in the scopes of vendor 'acme'")),
            Arguments.of("overlapping-routes.yaml", List.of(
                "overlapping-routes.yaml:10:5: routes[1]: route 'read-too' has the same pathPrefix '/datasets' and "
                        + "methods [GET] as route 'read'; a request could not tell them apart")),
            Arguments.of("tokens-missing.yaml", List.of(
                "tokens-missing.yaml:9:80: routes[0].scopes: route 'read' requires token scopes, so the policy needs "
                        + "a tokens section (issuer, audience)")),
            Arguments.of("empty.yaml", List.of(
                "empty.yaml:1:1: the file is empty")),
            Arguments.of("zero-limit.yaml", List.of(
                "zero-limit.yaml:11:31: vendors[0].limits.bytesOutPerDay: must be larger than zero (leave the field "
                        + "out for no limit)",
                "zero-limit.yaml:11:53: vendors[0].limits.requestsPerSecond: must be a positive number (leave the "
                        + "field out for no limit)")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void loaderReportsExactly(String file, List<String> expected) throws Exception {
        assertThat(errors(file)).containsExactlyElementsOf(expected);
    }

    @Test
    void everyErrorOfAFileIsReportedInOneRunSortedByLine() throws Exception {
        assertThat(errors("many-errors.yaml")).containsExactly(
                "many-errors.yaml:1:10: version: only version 1 is supported by this gateway",
                "many-errors.yaml:4:11: listeners.vendor.bind: '99999' is not a port (0-65535)",
                "many-errors.yaml:7:11: routes[0].id: 'Read' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', "
                        + "starting with a letter or digit",
                "many-errors.yaml:7:66: routes[0].upstream: unknown upstream 'data'; none are defined",
                "many-errors.yaml:10:29: vendors[0].identities[0].sha256: must be the 64 hex digits of a SHA-256 "
                        + "fingerprint (colons allowed)");
    }

    /**
     * Structural mistakes are caught by the JSON Schema too, so an editor flags them as they are
     * typed. Cross-references (unknown route or upstream), duplicate ids, overlapping identities or
     * routes and missing scopes need the whole policy, and YAML parsers silently keep the last of
     * two duplicate keys: only the loader catches those.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unknown-field.yaml", "wrong-type.yaml", "missing-field.yaml",
        "bad-spiffe.yaml", "bad-duration.yaml", "bad-size.yaml", "bad-bind.yaml", "bad-method.yaml",
        "bad-path-prefix.yaml", "zero-limit.yaml", "many-errors.yaml"})
    void structuralMistakesAlsoFailTheSchema(String file) throws Exception {
        String text = Files.readString(DIR.resolve(file));
        assertThat(SchemaSupport.validate(text)).as(file).isNotEmpty();
    }

    private static List<String> errors(String file) throws Exception {
        String text = Files.readString(DIR.resolve(file));
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> PolicyLoader.parse(text, file, DIR, false));
        assertThat(e).as("policy " + file + " must be refused").isNotNull();
        return e.errors().stream().map(PolicyError::toString).toList();
    }
}
