package dev.vendorgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String quoted(String value) {
        return Json.quote(new StringBuilder(), value).toString();
    }

    @Test
    void plainTextIsCopiedAsItIs() {
        assertThat(quoted("2026-12-02T10:00:00Z")).isEqualTo("\"2026-12-02T10:00:00Z\"");
        assertThat(quoted("")).isEqualTo("\"\"");
        assertThat(quoted(null)).isEqualTo("null");
    }

    @Test
    void whatJsonOrAReaderOfTheLogCouldMisreadIsEscapedWhereverItStands() {
        assertThat(quoted("a\"b")).isEqualTo("\"a\\\"b\"");
        assertThat(quoted("\\")).isEqualTo("\"\\\\\"");
        assertThat(quoted("/x\n{\"forged\":1}")).isEqualTo("\"/x\\n{\\\"forged\\\":1}\"");
        assertThat(quoted("\u0000\u001f\r\t")).isEqualTo("\"\\u0000\\u001f\\r\\t\"");
        assertThat(quoted("line\u2028sep\u2029")).isEqualTo("\"line\\u2028sep\\u2029\"");
        assertThat(quoted("lone \ud800 high")).isEqualTo("\"lone \\ud800 high\"");
        assertThat(quoted("é and \ud83d\ude00")).isEqualTo("\"é and \ud83d\ude00\"");
        assertThat(quoted("del\u007f")).isEqualTo("\"del\u007f\"");
    }

    @Test
    void anyTextReadsBackAsItselfWithNoLineBreakInTheRecord() throws Exception {
        Random random = new Random(20261202);
        char[] alphabet = {'a', 'Z', '0', '/', '"', '\\', '\n', '\r', '\u0001', '\u007f', 'é', '\u2028', '\ud83d'};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                char c = alphabet[random.nextInt(alphabet.length)];
                text.append(c);
                if (c == '\ud83d' && random.nextBoolean()) {
                    text.append('\ude00'); // sometimes a whole pair, sometimes a lone surrogate
                }
            }
            String value = text.toString();
            String json = quoted(value);
            assertThat(json).doesNotContain("\n", "\r", "\u2028", "\u2029");
            String back = JSON.readValue(json, String.class);
            if (value.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
                assertThat(back).as(json).isEqualTo(value);
            }
        }
    }
}
