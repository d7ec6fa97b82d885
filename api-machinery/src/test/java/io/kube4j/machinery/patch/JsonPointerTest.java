package io.kube4j.machinery.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPointerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "''|''",
            "/|''",
            "/foo|foo",
            "/foo/0|foo,0",
            "/a~1b|a/b",
            "/m~0n|m~n",
            "/~01|~1",
            "/c%d|c%d",
            "/a//b|a,'',b"})
    void parsesRfc6901Pointers(String text, String tokens) {
        List<String> expected = tokens.isEmpty() && !text.equals("/") ? List.of()
                : List.of(tokens.split(",", -1)).stream().map(t -> t.replace("'", "")).toList();
        assertThat(JsonPointer.parse(text).tokens()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a", "/a~", "/a~2", "a/b"})
    void refusesMalformedPointers(String text) {
        assertThatThrownBy(() -> JsonPointer.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"a/b,a~1b", "m~n,m~0n", "~/,~0~1", "plain,plain"})
    void escapesTokens(String token, String escaped) {
        assertThat(JsonPointer.escape(token)).isEqualTo(escaped);
        assertThat(JsonPointer.parse("/" + escaped).tokens()).containsExactly(token);
    }
}
