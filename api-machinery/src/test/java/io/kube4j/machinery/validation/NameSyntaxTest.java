package io.kube4j.machinery.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written syntax checks accept exactly what Kubernetes' expressions match, on every short string. */
class NameSyntaxTest {

    private static final char[] ALPHABET = {'a', 'z', 'Q', '0', '9', '-', '.', '_', '/', '\n', 'ü'};

    static Stream<Arguments> syntaxes() {
        return Stream.of(
                Arguments.of("DNS-1123 label", NameValidation.DNS1123_LABEL_FMT,
                        (Predicate<String>) v -> NameValidation.dns1123Label(v, 0, v.length())),
                Arguments.of("DNS-1123 subdomain", NameValidation.DNS1123_SUBDOMAIN_FMT,
                        (Predicate<String>) NameValidation::dns1123Subdomain),
                Arguments.of("DNS-1035 label", NameValidation.DNS1035_LABEL_FMT,
                        (Predicate<String>) NameValidation::dns1035Label),
                Arguments.of("qualified name", NameValidation.QUALIFIED_NAME_FMT,
                        (Predicate<String>) NameValidation::qualifiedName),
                Arguments.of("label value", NameValidation.LABEL_VALUE_FMT,
                        (Predicate<String>) v -> v.isEmpty() || NameValidation.qualifiedName(v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxes")
    void acceptsWhatTheExpressionMatches(String name, String format, Predicate<String> check) {
        Pattern pattern = Pattern.compile("^" + format + "$");
        List<String> disagreements = new ArrayList<>();
        for (String value : strings(4)) {
            if (pattern.matcher(value).matches() != check.test(value)) disagreements.add(value);
        }
        assertThat(disagreements).as(name).isEmpty();
    }

    /** Every string over {@link #ALPHABET} up to {@code maxLength} characters, the empty one included. */
    private static List<String> strings(int maxLength) {
        List<String> all = new ArrayList<>(List.of(""));
        List<String> previous = List.of("");
        for (int length = 1; length <= maxLength; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : previous) {
                for (char c : ALPHABET) next.add(prefix + c);
            }
            all.addAll(next);
            previous = next;
        }
        return all;
    }
}
