package io.kube4j.gateway.discovery;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VersionPriorityTest {

    @ParameterizedTest(name = "{0} sorts as {1}")
    @CsvSource(delimiter = '|', value = {
            "v1 v2|v2 v1",
            "v1beta1 v1|v1 v1beta1",
            "v1alpha1 v1beta1 v1|v1 v1beta1 v1alpha1",
            "v1beta1 v1beta2 v2beta1|v2beta1 v1beta2 v1beta1",
            "foo v1alpha1 bar|v1alpha1 bar foo",
            "v10 v2 v1|v10 v2 v1",
    })
    void ordersVersionsAsKubernetesPrefersThem(String given, String expected) {
        List<String> versions = new ArrayList<>(Arrays.asList(given.split(" ")));
        Collections.shuffle(versions);
        versions.sort(VersionPriority.INSTANCE);
        assertThat(versions).containsExactly(expected.split(" "));
    }
}
