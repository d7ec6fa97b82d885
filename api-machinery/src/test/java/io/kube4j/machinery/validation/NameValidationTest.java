package io.kube4j.machinery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kube4j.machinery.errors.StatusCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameValidationTest {

    static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    static final String LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            + "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
            + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            + "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
            + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
            + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    static final String LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    @ParameterizedTest
    @ValueSource(strings = {"a", "web", "web-1", "a.b", "1.2.3", "my-app.example.com"})
    void acceptsSubdomains(String name) {
        assertThat(NameValidation.isDns1123Subdomain(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Web", "-a", "a-", "a..b", "a_b", ".a", "a/b", "ä"})
    void refusesBadSubdomainsWithKubernetesText(String name) {
        assertThat(NameValidation.isDns1123Subdomain(name)).containsExactly(SUBDOMAIN);
    }

    @Test
    void limitsSubdomainsTo253Characters() {
        String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
        assertThat(name).hasSize(254);
        assertThat(NameValidation.isDns1123Subdomain(name)).containsExactly("must be no more than 253 characters");
        assertThat(NameValidation.isDns1123Subdomain(name.substring(1))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "kube-system|",
            "a|",
            "a.b|must not contain dots",
            "A|" + LABEL,
            "-a|" + LABEL,
            "''|" + LABEL})
    void checksDns1123Labels(String name, String error) {
        assertThat(NameValidation.isDns1123Label(name)).isEqualTo(error == null ? List.of() : List.of(error));
    }

    @Test
    void limitsLabelsTo63Characters() {
        assertThat(NameValidation.isDns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
        assertThat(NameValidation.isDns1123Label("a".repeat(63))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"my-svc|", "a1|", "1a|" + DNS1035, "a.b|" + DNS1035, "A|" + DNS1035})
    void checksDns1035Labels(String name, String error) {
        assertThat(NameValidation.isDns1035Label(name)).isEqualTo(error == null ? List.of() : List.of(error));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "App_1", "a.b-c", "example.com/app", "kubernetes.io/metadata.name",
            "app.kubernetes.io/name", "x/Y"})
    void acceptsQualifiedNames(String key) {
        assertThat(NameValidation.isQualifiedName(key)).isEmpty();
    }

    @Test
    void explainsBadQualifiedNames() {
        assertThat(NameValidation.isQualifiedName("-app")).containsExactly(NAME_PART);
        assertThat(NameValidation.isQualifiedName("")).containsExactly("name part must be non-empty", NAME_PART);
        assertThat(NameValidation.isQualifiedName("/app")).containsExactly("prefix part must be non-empty");
        assertThat(NameValidation.isQualifiedName("Example.com/app")).containsExactly("prefix part " + SUBDOMAIN);
        assertThat(NameValidation.isQualifiedName("example.com/")).containsExactly("name part must be non-empty",
                NAME_PART);
        assertThat(NameValidation.isQualifiedName("a".repeat(64)))
                .containsExactly("name part must be no more than 63 characters");
        assertThat(NameValidation.isQualifiedName("a/b/c")).containsExactly("a qualified name must consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                + "(e.g. 'example.com/MyName')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|", "v1|", "my_value|", "A.b-C|", "-x|" + LABEL_VALUE,
            "x_|" + LABEL_VALUE, "a b|" + LABEL_VALUE})
    void checksLabelValues(String value, String error) {
        assertThat(NameValidation.isValidLabelValue(value)).isEqualTo(error == null ? List.of() : List.of(error));
    }

    @Test
    void turnsProblemsIntoCauses() {
        assertThat(NameValidation.validateLabels(Map.of("-k", "v"), "metadata.labels")).containsExactly(
                new StatusCause("FieldValueInvalid", "Invalid value: \"-k\": " + NAME_PART, "metadata.labels"));
        assertThat(NameValidation.validateLabels(Map.of("k", "v!"), "metadata.labels")).containsExactly(
                new StatusCause("FieldValueInvalid", "Invalid value: \"v!\": " + LABEL_VALUE, "metadata.labels"));
        assertThat(NameValidation.validateAnnotations(Map.of("Example.COM/Note", "x"), "metadata.annotations"))
                .isEmpty();
        assertThat(NameValidation.validateAnnotations(Map.of("a/b/c", "x"), "metadata.annotations"))
                .hasSize(1).first().extracting(StatusCause::field).isEqualTo("metadata.annotations");
        assertThat(NameValidation.validateAnnotations(Map.of("big", "x".repeat(256 * 1024)), "metadata.annotations"))
                .containsExactly(new StatusCause("FieldValueTooLong", "Too long: may not be more than 262144 bytes",
                        "metadata.annotations"));
        assertThat(NameValidation.validateSubdomainName("Web", "metadata.name")).containsExactly(
                new StatusCause("FieldValueInvalid", "Invalid value: \"Web\": " + SUBDOMAIN, "metadata.name"));
        assertThat(NameValidation.validateDns1123LabelName("a.b", "metadata.name")).containsExactly(
                new StatusCause("FieldValueInvalid", "Invalid value: \"a.b\": must not contain dots", "metadata.name"));
    }

    static final String CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
            + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    static final String ENV_VAR = "a valid environment variable name must consist of alphabetic characters, digits, "
            + "'_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
            + "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
    static final String WILDCARD = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            + "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
            + "alphanumeric character (e.g. '*.example.com', regex used for validation is "
            + "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"key.name|", "KEY_NAME|", "a b|" + CONFIG_KEY, ".|must not be '.'",
            "..|must not be '..'", "..data|must not start with '..'"})
    void checksConfigMapKeys(String key, String error) {
        assertThat(NameValidation.isConfigMapKey(key)).isEqualTo(error == null ? List.of() : List.of(error));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"MY_VAR|", "my.env-name|", "1VAR|" + ENV_VAR, "..x|must not start with '..'"})
    void checksEnvVarNames(String name, String error) {
        assertThat(NameValidation.isEnvVarName(name)).isEqualTo(error == null ? List.of() : List.of(error));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"example.com|", "*.example.com|", "*.Example.com|" + WILDCARD,
            "Example.com|" + SUBDOMAIN})
    void checksHostsThatMayBeWildcards(String host, String error) {
        assertThat(NameValidation.isDns1123SubdomainOrWildcard(host))
                .isEqualTo(error == null ? List.of() : List.of(error));
    }

    @Test
    void checksPortNamesAsIanaServiceNames() {
        assertThat(NameValidation.isValidPortName("http")).isEmpty();
        assertThat(NameValidation.isValidPortName("a-very-long-port-name")).containsExactly(
                "must be no more than 15 characters");
        assertThat(NameValidation.isValidPortName("-a--b")).containsExactly("must not contain consecutive hyphens",
                "must not begin or end with a hyphen");
        assertThat(NameValidation.isValidPortName("80")).containsExactly("must contain at least one letter (a-z)");
        assertThat(NameValidation.isValidPortName("Http")).containsExactly(
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
}
