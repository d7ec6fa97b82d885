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

    @Test
    void printsTheDetailOnlyWhenThereIsOne() {
        assertThat(StatusCause.required("spec.ports").render()).isEqualTo("spec.ports: Required value");
        assertThat(StatusCause.required("spec.x", "must be set").render()).isEqualTo("spec.x: Required value: must be set");
        assertThat(StatusCause.forbidden("spec.x", "").render()).isEqualTo("spec.x: Forbidden");
        assertThat(StatusCause.forbidden("spec.x", "may not be set").render()).isEqualTo("spec.x: Forbidden: may not be set");
        assertThat(StatusCause.tooLong("metadata.annotations", 262144)).isEqualTo(new StatusCause("FieldValueTooLong",
                "Too long: may not be more than 262144 bytes", "metadata.annotations"));
    }
}
