package io.kube4j.gateway.discovery;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryDocumentsTest {

    private static final ResourceType CRONTAB_V1 = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs",
            "crontab", true, List.of("ct"), List.of("all"), Set.of("status"));

    private static DiscoveryDocuments builtInPlusCronTab(String... versions) {
        List<ResourceType> types = new ArrayList<>(BuiltInTypes.ALL);
        for (String version : versions) {
            types.add(CRONTAB_V1.withVersion(version));
        }
        return new DiscoveryDocuments(types);
    }

    private static JsonNode entry(ObjectNode list, String name) {
        for (JsonNode resource : list.get("resources")) {
            if (resource.get("name").asString().equals(name)) {
                return resource;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }

    @ParameterizedTest(name = "{0}/{1} {2}: kind {3} {4}/{5}, verbs {6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "''|v1|pods|Pod|-|-|create delete deletecollection get list patch update watch",
            "''|v1|pods/binding|Binding|-|-|create",
            "''|v1|pods/log|Pod|-|-|get",
            "''|v1|pods/exec|PodExecOptions|-|-|create get",
            "''|v1|pods/eviction|Eviction|policy|v1|create",
            "''|v1|pods/status|Pod|-|-|get patch update",
            "''|v1|namespaces/finalize|Namespace|-|-|update",
            "apps|v1|deployments/scale|Scale|autoscaling|v1|get patch update",
            "apps|v1|deployments/status|Deployment|-|-|get patch update",
    })
    void legacyResourceListDescribesResourcesAndSubresources(String group, String version, String name, String kind,
                                                            String subGroup, String subVersion, String verbs) {
        ObjectNode list = builtInPlusCronTab().resourceList(group, version).orElseThrow();
        JsonNode resource = entry(list, name);
        assertThat(resource.get("kind").asString()).isEqualTo(kind);
        assertThat(resource.get("verbs").valueStream().map(JsonNode::asString)).containsExactly(verbs.split(" "));
        assertThat(resource.has("group") ? resource.get("group").asString() : null).isEqualTo(subGroup);
        assertThat(resource.has("version") ? resource.get("version").asString() : null).isEqualTo(subVersion);
        assertThat(resource.get("namespaced").isBoolean()).isTrue();
        assertThat(resource.get("singularName").asString()).isEqualTo(name.contains("/") ? "" : kind.toLowerCase());
    }

    @Test
    void legacyResourceListCarriesShortNamesCategoriesAndGroupVersion() {
        ObjectNode apps = builtInPlusCronTab().resourceList("apps", "v1").orElseThrow();
        assertThat(apps.get("kind").asString()).isEqualTo("APIResourceList");
        assertThat(apps.get("groupVersion").asString()).isEqualTo("apps/v1");
        JsonNode deployments = entry(apps, "deployments");
        assertThat(deployments.get("shortNames").get(0).asString()).isEqualTo("deploy");
        assertThat(deployments.get("categories").get(0).asString()).isEqualTo("all");
        assertThat(entry(apps, "controllerrevisions").has("shortNames")).isFalse();

        ObjectNode core = builtInPlusCronTab().resourceList("", "v1").orElseThrow();
        assertThat(core.get("groupVersion").asString()).isEqualTo("v1");
        assertThat(entry(core, "namespaces").get("namespaced").asBoolean()).isFalse();
    }

    @Test
    void unknownGroupsAndVersionsAreAbsent() {
        DiscoveryDocuments docs = builtInPlusCronTab();
        assertThat(docs.resourceList("apps", "v2")).isEmpty();
        assertThat(docs.resourceList("nope.example.com", "v1")).isEmpty();
        assertThat(docs.group("nope.example.com")).isEmpty();
        assertThat(docs.group("")).isEmpty();
    }

    @Test
    void preferredVersionIsTheHighestPriorityVersion() {
        ObjectNode group = builtInPlusCronTab("v1beta1", "v1", "v2alpha1").group("stable.example.com").orElseThrow();
        assertThat(group.get("kind").asString()).isEqualTo("APIGroup");
        assertThat(group.get("preferredVersion").get("groupVersion").asString()).isEqualTo("stable.example.com/v1");
        assertThat(group.get("versions").valueStream().map(v -> v.get("version").asString()))
                .containsExactly("v1", "v1beta1", "v2alpha1");
    }

    @Test
    void groupListNamesEveryNamedGroupButNotTheCoreGroup() {
        ObjectNode list = builtInPlusCronTab("v1").groupList();
        List<String> names = list.get("groups").valueStream().map(g -> g.get("name").asString()).toList();
        assertThat(names).contains("apps", "batch", "rbac.authorization.k8s.io", "stable.example.com").doesNotContain("");
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void apiVersionsListsTheCoreVersion() {
        ObjectNode api = builtInPlusCronTab().apiVersions("10.0.0.1:6443");
        assertThat(api.get("kind").asString()).isEqualTo("APIVersions");
        assertThat(api.get("versions").get(0).asString()).isEqualTo("v1");
        assertThat(api.get("serverAddressByClientCIDRs").get(0).get("serverAddress").asString()).isEqualTo("10.0.0.1:6443");
    }

    @Test
    void aggregatedDiscoverySeparatesTheCoreGroupAndDescribesSubresources() {
        DiscoveryDocuments docs = builtInPlusCronTab("v1");
        ObjectNode core = docs.aggregated(true);
        assertThat(core.get("apiVersion").asString()).isEqualTo("apidiscovery.k8s.io/v2");
        assertThat(core.get("kind").asString()).isEqualTo("APIGroupDiscoveryList");
        assertThat(core.get("items")).hasSize(1);
        assertThat(core.get("items").get(0).get("metadata").has("name")).isFalse();

        ObjectNode named = docs.aggregated(false);
        JsonNode apps = named.get("items").valueStream()
                .filter(i -> i.get("metadata").get("name").asString().equals("apps")).findFirst().orElseThrow();
        JsonNode deployments = apps.get("versions").get(0).get("resources").valueStream()
                .filter(r -> r.get("resource").asString().equals("deployments")).findFirst().orElseThrow();
        assertThat(deployments.get("scope").asString()).isEqualTo("Namespaced");
        assertThat(deployments.get("singularResource").asString()).isEqualTo("deployment");
        assertThat(deployments.get("responseKind").get("kind").asString()).isEqualTo("Deployment");
        JsonNode scale = deployments.get("subresources").valueStream()
                .filter(s -> s.get("subresource").asString().equals("scale")).findFirst().orElseThrow();
        assertThat(scale.get("responseKind").get("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.get("responseKind").get("kind").asString()).isEqualTo("Scale");
        assertThat(apps.get("versions").get(0).get("freshness").asString()).isEqualTo("Current");
        assertThat(named.get("items").valueStream().map(i -> i.get("metadata").get("name").asString()))
                .contains("stable.example.com").doesNotContain("");
    }
}
