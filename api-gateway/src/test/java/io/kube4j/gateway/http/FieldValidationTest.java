package io.kube4j.gateway.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FieldValidationTest {

    /** Go's %q, inside the quotes: how kube-apiserver prints an Invalid patch value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            map[a:b]                                   | map[a:b]
            map[k:{"x":1}]                             | map[k:{\\"x\\":1}]
            back\\slash                                | back\\\\slash
            """)
    void quotesAndBackslashes(String value, String escaped) {
        assertThat(FieldValidation.goEscaped(value)).isEqualTo(escaped);
    }

    @org.junit.jupiter.api.Test
    void controlCharacters() {
        assertThat(FieldValidation.goEscaped("{\"a\":1}\n")).isEqualTo("{\\\"a\\\":1}\\n");
        assertThat(FieldValidation.goEscaped("a\tb\r")).isEqualTo("a\\tb\\r");
        assertThat(FieldValidation.goEscaped("bell\u0007")).isEqualTo("bell\\x07");
        assertThat(FieldValidation.goEscaped("café")).isEqualTo("café");
    }
}
