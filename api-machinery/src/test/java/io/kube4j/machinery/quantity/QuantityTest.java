package io.kube4j.machinery.quantity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {

    /** Input and the form kube-apiserver stores and prints for it. */
    record Canonical(String input, String expected) {}

    static Stream<Canonical> canonicalForms() {
        return Stream.of(
                new Canonical("100m", "100m"),
                new Canonical("0.1", "100m"),
                new Canonical("0.5", "500m"),
                new Canonical("1000m", "1"),
                new Canonical("1500m", "1500m"),
                new Canonical("1.5", "1500m"),
                new Canonical("2", "2"),
                new Canonical("1000", "1k"),
                new Canonical("1500", "1500"),
                new Canonical("64Mi", "64Mi"),
                new Canonical("1024Mi", "1Gi"),
                new Canonical("1536Mi", "1536Mi"),
                new Canonical("1.5Gi", "1536Mi"),
                new Canonical("0.5Gi", "512Mi"),
                new Canonical("512Ki", "512Ki"),
                new Canonical("0.5Ki", "512"),
                new Canonical("128974848", "128974848"),
                new Canonical("129e6", "129e6"),
                new Canonical("1e3", "1e3"),
                new Canonical("1E3", "1e3"),
                new Canonical("129M", "129M"),
                new Canonical("1G", "1G"),
                new Canonical("0", "0"),
                new Canonical("0Mi", "0"),
                new Canonical("1n", "1n"),
                new Canonical("0.0000000001", "1n"),
                new Canonical("-100m", "-100m"),
                new Canonical("+2", "2"),
                new Canonical("5.", "5"),
                new Canonical(".5", "500m"),
                new Canonical("10Gi", "10Gi"),
                new Canonical("1Ti", "1Ti"),
                new Canonical("250u", "250u"));
    }

    @ParameterizedTest
    @MethodSource("canonicalForms")
    void printsTheCanonicalFormKubernetesPrints(Canonical c) {
        assertThat(Quantity.parse(c.input()).toString()).isEqualTo(c.expected());
        // Canonical forms are fixed points.
        assertThat(Quantity.parse(c.expected()).toString()).isEqualTo(c.expected());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1Kb", "m", "1 m", "1e", "--1", "1ki", "Mi", "1e1000000000"})
    void refusesWhatIsNotAQuantity(String text) {
        assertThat(Quantity.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Quantity.SYNTAX_MESSAGE);
    }

    record Comparison(String a, String b, int sign) {}

    static Stream<Comparison> comparisons() {
        return Stream.of(
                new Comparison("100m", "0.1", 0),
                new Comparison("1Gi", "1073741824", 0),
                new Comparison("1G", "1Gi", -1),
                new Comparison("200m", "100m", 1),
                new Comparison("1", "999m", 1),
                new Comparison("64Mi", "64M", 1),
                new Comparison("1e3", "1k", 0));
    }

    @ParameterizedTest
    @MethodSource("comparisons")
    void comparesByValueWhateverTheNotation(Comparison c) {
        assertThat(Integer.signum(Quantity.parse(c.a()).compareTo(Quantity.parse(c.b())))).isEqualTo(c.sign());
        assertThat(Quantity.parse(c.a()).equals(Quantity.parse(c.b()))).isEqualTo(c.sign() == 0);
    }

    @Test
    void roundsUpToIntegersAndMillis() {
        assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
        assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
        assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("100m").value()).isEqualTo(1);
        assertThat(Quantity.parse("64Mi").value()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void addsInTheNotationOfTheLeftOperand() {
        assertThat(Quantity.parse("100m").add(Quantity.parse("900m")).toString()).isEqualTo("1");
        assertThat(Quantity.parse("512Mi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
    }
}
