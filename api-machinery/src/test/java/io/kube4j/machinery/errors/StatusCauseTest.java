package io.kube4j.machinery.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusCauseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain|\"plain\"",
            "a\"b|\"a\\\"b\"",
            "back\\slash|\"back\\\\slash\"",
            "`tab\there`|\"tab\\there\"",
            "`bell\u0007`|\"bell\\x07\"",
            "ünï|\"ünï\""})
    void quotesAsGoPercentQ(String value, String quoted) {
        assertThat(StatusCause.goQuote(value)).isEqualTo(quoted);
    }

    @Test
    void rendersBadValuesAsKubeApiserverPrintsThem() {
        assertThat(StatusCause.invalid("metadata.labels", "a\"b", "bad").render())
                .isEqualTo("metadata.labels: Invalid value: \"a\\\"b\": bad");
        assertThat(StatusCause.invalid("spec.replicas", -1, "must be greater than or equal to 0").render())
                .isEqualTo("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        assertThat(StatusCause.notSupported("type", "X", List.of("A", "B")).render())
                .isEqualTo("type: Unsupported value: \"X\": supported values: \"A\", \"B\"");
    }
}
