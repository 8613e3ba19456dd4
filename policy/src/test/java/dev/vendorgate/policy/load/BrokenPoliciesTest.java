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
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each class of mistake a policy author can make, with the exact messages they get: file, line,
 * column, field path and what to do.
 */
class BrokenPoliciesTest {

    private static final Path DIR = Path.of("src/test/resources/broken");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "syntax-error.yaml",
                        List.of("syntax-error.yaml:4:9: YAML syntax error: while scanning a quoted scalar")),
                Arguments.of(
                        "duplicate-key.yaml",
                        List.of("duplicate-key.yaml:13:5: duplicate key 'methods' (first defined on line 11)")),
                Arguments.of(
                        "unknown-field.yaml",
                        List.of(
                                "unknown-field.yaml:9:5: routes[0].pathPrefix: is required",
                                "unknown-field.yaml:10:5: routes[0].pathprefix: unknown field; did you mean 'pathPrefix'?")),
                Arguments.of(
                        "wrong-type.yaml",
                        List.of("wrong-type.yaml:11:14: routes[0].methods: expected a list, found a string")),
                Arguments.of(
                        "missing-field.yaml",
                        List.of("missing-field.yaml:5:10: listeners.vendor.tls.key: is required")),
                Arguments.of(
                        "bad-spiffe.yaml",
                        List.of("bad-spiffe.yaml:13:17: vendors[1].identities[0].spiffe: must start with spiffe://")),
                Arguments.of(
                        "bad-spiffe-patterns.yaml",
                        List.of(
                                "bad-spiffe-patterns.yaml:10:19: vendors[0].identities[1].spiffe: path segment 'acme%2F..%2Fglobex' "
                                        + "must be letters, digits, '.', '_' or '-' (no empty, '.' or '..' segments); "
                                        + "percent-encoding is not allowed",
                                "bad-spiffe-patterns.yaml:11:19: vendors[0].identities[2].spiffe: path segment 'acme?x=1' must be "
                                        + "letters, digits, '.', '_' or '-' (no empty, '.' or '..' segments); a query or fragment "
                                        + "is not allowed",
                                "bad-spiffe-patterns.yaml:12:19: vendors[0].identities[3].spiffe: path segment 'acme#x' must be "
                                        + "letters, digits, '.', '_' or '-' (no empty, '.' or '..' segments); a query or fragment "
                                        + "is not allowed",
                                "bad-spiffe-patterns.yaml:13:19: vendors[0].identities[4].spiffe: trust domain 'lab.example:8443' "
                                        + "must be lower-case letters, digits, '.', '_' or '-'; user info and ports are not allowed",
                                "bad-spiffe-patterns.yaml:14:19: vendors[0].identities[5].spiffe: scheme must be lower-case spiffe://",
                                "bad-spiffe-patterns.yaml:15:19: vendors[0].identities[6].spiffe: path segment '' must be letters, "
                                        + "digits, '.', '_' or '-' (no empty, '.' or '..' segments)",
                                "bad-spiffe-patterns.yaml:16:19: vendors[0].identities[7].spiffe: path segment '.' must be letters, "
                                        + "digits, '.', '_' or '-' (no empty, '.' or '..' segments)")),
                Arguments.of(
                        "bad-duration.yaml",
                        List.of(
                                "bad-duration.yaml:8:62: upstreams.slow.timeouts.connect: '2 seconds' is not a duration; write a "
                                        + "whole number and a unit: ms, s, m, h or d (for example 500ms, 30s, 10m)")),
                Arguments.of(
                        "bad-size.yaml",
                        List.of(
                                "bad-size.yaml:9:91: routes[0].maxBodyBytes: '10 megabytes' is not a size; write bytes or a number "
                                        + "with a unit: KiB, MiB, GiB, TiB, KB, MB, GB or TB (for example 10MiB)")),
                Arguments.of(
                        "bad-bind.yaml",
                        List.of(
                                "bad-bind.yaml:4:11: listeners.vendor.bind: '0.0.0.0' is not host:port (for example 0.0.0.0:8443)")),
                Arguments.of(
                        "bad-method.yaml",
                        List.of(
                                "bad-method.yaml:9:50: routes[0].methods[0]: 'get' is not one of GET, HEAD, OPTIONS, POST, PUT, "
                                        + "PATCH, DELETE (upper case)",
                                "bad-method.yaml:9:55: routes[0].methods[1]: 'TRACE' is not one of GET, HEAD, OPTIONS, POST, PUT, "
                                        + "PATCH, DELETE (upper case)")),
                Arguments.of(
                        "bad-path-prefix.yaml",
                        List.of(
                                "bad-path-prefix.yaml:9:27: routes[0].pathPrefix: must not contain '.' or '..' segments",
                                "bad-path-prefix.yaml:10:32: routes[1].pathPrefix: segment 'datasets%2Fadmin' must be plain "
                                        + "characters (no '%', '?', '#', ';', '\\' or spaces): routes match the decoded, canonical path",
                                "bad-path-prefix.yaml:11:33: routes[2].pathPrefix: must start with '/'",
                                "bad-path-prefix.yaml:12:31: routes[3].pathPrefix: must not contain empty segments ('//')")),
                Arguments.of(
                        "bad-identity.yaml",
                        List.of(
                                "bad-identity.yaml:9:9: vendors[0].identities[0]: must have exactly one of spiffe, subject or sha256",
                                "bad-identity.yaml:10:9: vendors[0].identities[1]: must have exactly one of spiffe, subject or sha256",
                                "bad-identity.yaml:11:19: vendors[0].identities[2].spiffe: path segment '..' must be letters, digits, "
                                        + "'.', '_' or '-' (no empty, '.' or '..' segments)",
                                "bad-identity.yaml:12:22: vendors[0].identities[3].subject.cn: unknown subject attribute; use one of "
                                        + "CN, O, OU, C, L, ST, DC, UID, SERIALNUMBER, EMAILADDRESS (upper case)",
                                "bad-identity.yaml:13:19: vendors[0].identities[4].sha256: must be the 64 hex digits of a SHA-256 "
                                        + "fingerprint (colons allowed)")),
                // the route naming the broken upstream gets no second "unknown upstream" error
                Arguments.of(
                        "bad-upstream.yaml",
                        List.of(
                                "bad-upstream.yaml:7:17: upstreams.files.url: must start with http:// or https://",
                                "bad-upstream.yaml:8:20: upstreams.datasets.url: must be scheme://host[:port] only (no user, path, "
                                        + "query or fragment); requests keep their own path",
                                "bad-upstream.yaml:9:56: upstreams.plain.tls: only applies to an https:// url")),
                Arguments.of(
                        "bad-trusted-issuer.yaml",
                        List.of(
                                "bad-trusted-issuer.yaml:10:99: tokens.trustedIssuers[0].algorithms: must list at least one algorithm",
                                "bad-trusted-issuer.yaml:11:54: tokens.trustedIssuers[1].jwks: keys must be fetched over https://",
                                "bad-trusted-issuer.yaml:11:107: tokens.trustedIssuers[1].algorithms[0]: 'HS256' is not an accepted "
                                        + "algorithm; use ES256, ES384, ES512, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512")),
                Arguments.of(
                        "bad-number.yaml",
                        List.of(
                                "bad-number.yaml:9:34: vendors[0].limits.requestsPerSecond: must be a positive number (leave the "
                                        + "field out for no limit)",
                                "bad-number.yaml:9:47: vendors[0].limits.burst: '0x10' is not a plain decimal integer",
                                "bad-number.yaml:9:68: vendors[0].limits.maxConcurrent: '1_000' is not a plain decimal integer",
                                "bad-number.yaml:9:91: vendors[0].limits.maxConnections: is too large")),
                Arguments.of(
                        "yaml-1.1-booleans.yaml",
                        List.of(
                                "yaml-1.1-booleans.yaml:7:9: vendors[0].id: expected a string, found a boolean (write \"no\" in "
                                        + "quotes for the word)",
                                "yaml-1.1-booleans.yaml:8:11: vendors[0].name: expected a string, found a boolean (write \"yes\" in "
                                        + "quotes for the word)")),
                Arguments.of(
                        "unknown-route.yaml",
                        List.of(
                                "unknown-route.yaml:13:20: vendors[0].routes[1]: unknown route 'write'; defined: read")),
                Arguments.of(
                        "unknown-upstream.yaml",
                        List.of(
                                "unknown-upstream.yaml:9:66: routes[0].upstream: unknown upstream 'datasets'; defined: data")),
                Arguments.of(
                        "duplicate-vendor.yaml",
                        List.of(
                                "duplicate-vendor.yaml:11:9: vendors[1].id: duplicate vendor id 'acme' (also vendors[0].id)")),
                Arguments.of(
                        "duplicate-route.yaml",
                        List.of(
                                "duplicate-route.yaml:10:11: routes[1].id: duplicate route id 'read' (also routes[0].id)")),
                Arguments.of(
                        "overlapping-identity.yaml",
                        List.of(
                                "overlapping-identity.yaml:12:19: vendors[1].identities[0]: identity overlaps one of vendor 'acme' "
                                        + "(vendors[0].identities[0]); a certificate could match both",
                                "overlapping-identity.yaml:14:19: vendors[2].identities[0]: identity overlaps one of vendor 'acme' "
                                        + "(vendors[0].identities[0]); a certificate could match both",
                                "overlapping-identity.yaml:14:19: vendors[2].identities[0]: identity overlaps one of vendor "
                                        + "'acme-contractor' (vendors[1].identities[0]); a certificate could match both")),
                // one name, or none, on two entries does not make them one operator: each has its own role
                Arguments.of(
                        "overlapping-operators.yaml",
                        List.of(
                                "overlapping-operators.yaml:8:30: operators[1].identity: identity overlaps one of operator 'alice' "
                                        + "(operators[0].identity); a certificate could match both",
                                "overlapping-operators.yaml:10:17: operators[3].identity: identity overlaps one of operator "
                                        + "'sha256:abcdef0011223344' (operators[2].identity); a certificate could match both")),
                Arguments.of(
                        "missing-scope.yaml",
                        List.of(
                                "missing-scope.yaml:14:14: vendors[0].routes[0]: route 'read' requires scope 'datasets:read', "
                                        + "which is not in the scopes of vendor 'acme'")),
                Arguments.of(
                        "overlapping-routes.yaml",
                        List.of(
                                "overlapping-routes.yaml:10:5: routes[1]: route 'read-too' has the same pathPrefix '/datasets' and "
                                        + "methods [GET] as route 'read'; a request could not tell them apart")),
                Arguments.of(
                        "tokens-missing.yaml",
                        List.of(
                                "tokens-missing.yaml:9:80: routes[0].scopes: route 'read' requires token scopes, so the policy needs "
                                        + "a tokens section (issuer, audience)")),
                Arguments.of("empty.yaml", List.of("empty.yaml:1:1: the file is empty")),
                Arguments.of(
                        "zero-limit.yaml",
                        List.of(
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
        assertThat(errors("many-errors.yaml"))
                .containsExactly(
                        "many-errors.yaml:1:10: version: only version 1 is supported by this gateway",
                        "many-errors.yaml:4:11: listeners.vendor.bind: '99999' is not a port (0-65535)",
                        "many-errors.yaml:7:11: routes[0].id: 'Read' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', "
                                + "starting with a letter or digit",
                        "many-errors.yaml:7:66: routes[0].upstream: unknown upstream 'data'; none are defined",
                        "many-errors.yaml:10:29: vendors[0].identities[0].sha256: must be the 64 hex digits of a SHA-256 "
                                + "fingerprint (colons allowed)");
    }

    /**
     * Structural mistakes (unknown fields, wrong types, missing fields, values outside a pattern,
     * enum or range) are caught by the JSON Schema too, so an editor flags them as they are typed.
     */
    static final List<String> SCHEMA_DETECTABLE = List.of(
            "unknown-field.yaml",
            "wrong-type.yaml",
            "missing-field.yaml",
            "bad-spiffe.yaml",
            "bad-spiffe-patterns.yaml",
            "bad-identity.yaml",
            "bad-duration.yaml",
            "bad-size.yaml",
            "bad-bind.yaml",
            "bad-method.yaml",
            "bad-path-prefix.yaml",
            "bad-upstream.yaml",
            "bad-trusted-issuer.yaml",
            "bad-number.yaml",
            "zero-limit.yaml",
            "tokens-missing.yaml",
            "empty.yaml",
            "many-errors.yaml");

    /**
     * Only the loader catches these: cross-references (unknown route or upstream, a grant without
     * the route's scopes), duplicate ids, overlapping identities or routes need the whole policy;
     * YAML parsers silently keep the last of two duplicate keys; and editors read YAML 1.2, where
     * an unquoted no or yes is a word, while the loader reads YAML 1.1, where it is a boolean.
     */
    static final List<String> LOADER_ONLY = List.of(
            "duplicate-key.yaml",
            "unknown-route.yaml",
            "unknown-upstream.yaml",
            "duplicate-vendor.yaml",
            "duplicate-route.yaml",
            "overlapping-identity.yaml",
            "overlapping-operators.yaml",
            "missing-scope.yaml",
            "overlapping-routes.yaml",
            "yaml-1.1-booleans.yaml");

    /** Not YAML at all: the schema validator cannot even read it. */
    static final List<String> NOT_YAML = List.of("syntax-error.yaml");

    @Test
    void everyBrokenFileHasExpectedMessagesAndASchemaClass() throws Exception {
        List<String> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> classified = Stream.of(SCHEMA_DETECTABLE, LOADER_ONLY, NOT_YAML)
                .flatMap(List::stream)
                .sorted()
                .toList();
        List<String> withMessages = Stream.concat(cases().map(a -> (String) a.get()[0]), Stream.of("many-errors.yaml"))
                .sorted()
                .toList();

        assertThat(classified)
                .as("each broken file in exactly one list")
                .doesNotHaveDuplicates()
                .isEqualTo(files);
        assertThat(withMessages)
                .as("each broken file with its expected messages")
                .isEqualTo(files);
    }

    @ParameterizedTest
    @FieldSource("SCHEMA_DETECTABLE")
    void structuralMistakesAlsoFailTheSchema(String file) throws Exception {
        assertThat(SchemaSupport.validate(Files.readString(DIR.resolve(file))))
                .as(file)
                .isNotEmpty();
    }

    /** If the schema learns to catch one of these, move it to {@link #SCHEMA_DETECTABLE}. */
    @ParameterizedTest
    @FieldSource("LOADER_ONLY")
    void loaderOnlyMistakesPassTheSchema(String file) throws Exception {
        assertThat(SchemaSupport.validate(Files.readString(DIR.resolve(file))))
                .as(file)
                .isEmpty();
    }

    private static List<String> errors(String file) throws Exception {
        String text = Files.readString(DIR.resolve(file));
        PolicyException e =
                catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(text, file, DIR, false));
        assertThat(e).as("policy " + file + " must be refused").isNotNull();
        return e.errors().stream().map(PolicyError::toString).toList();
    }
}
