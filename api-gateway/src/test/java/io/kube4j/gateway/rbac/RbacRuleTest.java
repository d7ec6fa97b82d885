package io.kube4j.gateway.rbac;

import io.kube4j.machinery.object.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RbacRuleTest {

    private static RbacRule rule(String yaml) {
        return RbacRule.of(Json.parseYamlObject(yaml.getBytes()));
    }

    @ParameterizedTest(name = "{0} {1}/{2} {3} → {4}")
    @CsvSource(delimiter = '|', value = {
            // rule: get/list pods in the core group
            "get    | ''   | pods          | ''   | true",
            "list   | ''   | pods          | ''   | true",
            "delete | ''   | pods          | ''   | false",
            "get    | apps | pods          | ''   | false",
            "get    | ''   | pods/log      | ''   | false",
            "get    | ''   | services      | ''   | false",
    })
    void verbsGroupsAndResourcesMustAllMatch(String verb, String group, String resource, String name, boolean allowed) {
        RbacRule r = rule("{apiGroups: [''], resources: [pods], verbs: [get, list]}");
        assertThat(r.allowsResource(verb, group, resource, name.isEmpty() ? null : name)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "['*']        | pods/exec        | true",
            "['*']        | deployments      | true",
            "['pods/*']   | pods/exec        | true",
            "['pods/*']   | pods             | false",
            "['*/scale']  | deployments/scale| true",
            "['*/scale']  | deployments      | false",
            "[pods/log]   | pods/log         | true",
            "[pods/log]   | pods/exec        | false",
    })
    void subresourcesMatchAsKubernetesMatchesThem(String resources, String requested, boolean allowed) {
        RbacRule r = rule("{apiGroups: ['*'], resources: " + resources + ", verbs: ['*']}");
        assertThat(r.allowsResource("get", "apps", requested, null)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "get    | web   | true",
            "get    | other | false",
            "list   |       | false",
            "update | web   | true",
    })
    void resourceNamesNarrowARuleToNamedObjects(String verb, String name, boolean allowed) {
        RbacRule r = rule("{apiGroups: [''], resources: [configmaps], resourceNames: [web], verbs: [get, list, update]}");
        assertThat(r.allowsResource(verb, "", "configmaps", name)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "get  | /healthz          | true",
            "get  | /apis             | true",
            "get  | /apis/apps/v1     | true",
            "get  | /metrics          | false",
            "post | /healthz          | false",
    })
    void nonResourceUrlsMatchExactlyOrByPrefix(String verb, String path, boolean allowed) {
        RbacRule r = rule("{nonResourceURLs: [/healthz, /apis, /apis/*], verbs: [get]}");
        assertThat(r.allowsPath(verb, path)).isEqualTo(allowed);
        assertThat(r.allowsResource(verb, "", "pods", null)).as("a non-resource rule grants no resource").isFalse();
    }
}
