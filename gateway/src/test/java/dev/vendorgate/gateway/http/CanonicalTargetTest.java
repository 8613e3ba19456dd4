package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "/                          | /                    | /",
                "/datasets                  | /datasets            | /datasets",
                "/datasets/                 | /datasets/           | /datasets/",
                "/datasets/a/b              | /datasets/a/b        | /datasets/a/b",
                "/datasets//a///b           | /datasets/a/b        | /datasets/a/b",
                "/datasets/./a/.            | /datasets/a/         | /datasets/a/",
                "/datasets/x/../a           | /datasets/a          | /datasets/a",
                "/datasets/x/..             | /datasets/           | /datasets/",
                "/datasets/%2e%2e/a         | /a                   | /a",
                "/datasets/caf%C3%A9        | /datasets/café       | /datasets/caf%C3%A9",
                "/datasets/a%20b            | /datasets/a b        | /datasets/a%20b",
                "/datasets/100%25           | /datasets/100%       | /datasets/100%25",
                "/datasets/%41%42           | /datasets/AB         | /datasets/AB",
                "/datasets/a%3Fb            | /datasets/a?b        | /datasets/a%3Fb",
                "/datasets/a%3Bb            | /datasets/a;b        | /datasets/a%3Bb",
                "/datasets/a:b@c!$&'()*+,=  | /datasets/a:b@c!$&'()*+,= | /datasets/a:b@c!$&'()*+,=",
            })
    void canonicalisesOnce(String raw, String path, String encoded) throws Exception {
        CanonicalTarget target = CanonicalTarget.parse(raw);

        assertThat(target.path()).isEqualTo(path);
        assertThat(target.encodedPath()).isEqualTo(encoded);
        // the forwarded form is a fixed point: canonicalising it again changes nothing
        assertThat(CanonicalTarget.parse(target.encodedPath()).path()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "datasets/a",
                "",
                "*",
                "http://evil.example/datasets/a",
                "/datasets/%2F..",
                "/datasets/a%2fb",
                "/datasets/a%5Cb",
                "/datasets/a\\b",
                "/datasets/%00",
                "/datasets/a%0Ab",
                "/datasets/%7F",
                "/datasets/%C0%AE%C0%AE/x",
                "/datasets/%E0%80%AF",
                "/datasets/%FF",
                "/datasets/%",
                "/datasets/%4",
                "/datasets/%zz",
                "/../etc/passwd",
                "/datasets/../../etc",
                "/%2e%2e/x",
                "/datasets/a;jsessionid=1",
                "/datasets/a b",
                "/datasets/a\"b",
                "/datasets/<x>",
                "/datasets/é",
                "/datasets/a#frag",
                "/datasets/a?q=<x>",
                "/datasets/a?q=%zz",
                "/datasets/a?q=a b",
            })
    void refusesAmbiguousTargets(String raw) {
        assertThatThrownBy(() -> CanonicalTarget.parse(raw)).isInstanceOf(CanonicalTarget.InvalidTargetException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/d?a=1&b=2", "/d?a=%20b", "/d?path=/x/y?z", "/d?", "/d?a=1;b=2"})
    void keepsValidQueriesAsSent(String raw) throws Exception {
        CanonicalTarget target = CanonicalTarget.parse(raw);

        assertThat(target.forUpstream()).isEqualTo(raw);
    }
}
