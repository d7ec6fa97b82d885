package io.kube4j.gateway.discovery;

import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

import java.util.List;
import java.util.Set;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = {DiscoveryController.class, VersionController.class})
@ContextConfiguration(classes = DiscoveryControllerTest.Slice.class)
class DiscoveryControllerTest {

    @Configuration(proxyBeanMethods = false)
    @Import({DiscoveryController.class, VersionController.class})
    static class Slice {
        @Bean
        ResourceRegistry resourceRegistry() {
            return ResourceRegistry.builtIn();
        }
    }

    /** What kubectl 1.32 sends for /api and /apis. */
    static final String KUBECTL_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    @Autowired
    MockMvc mvc;

    @Autowired
    ResourceRegistry registry;

    @ParameterizedTest(name = "{0} with Accept {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "/api|" + KUBECTL_ACCEPT + "|APIGroupDiscoveryList",
            "/apis|" + KUBECTL_ACCEPT + "|APIGroupDiscoveryList",
            "/api|application/json|APIVersions",
            "/apis|application/json|APIGroupList",
            "/apis|*/*|APIGroupList",
            "/apis|application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList|APIGroupList",
            "/apis|application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json|APIGroupList",
    })
    void answersInTheFormTheClientAsksForFirst(String path, String accept, String kind) throws Exception {
        boolean aggregated = kind.equals("APIGroupDiscoveryList");
        mvc.perform(get(path).header("Accept", accept))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type",
                        aggregated ? DiscoveryController.AGGREGATED_V2 : "application/json"))
                .andExpect(jsonPath("$.kind").value(kind));
    }

    @Test
    void servesResourceListsAndGroups() throws Exception {
        mvc.perform(get("/api/v1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.groupVersion").value("v1"))
                .andExpect(jsonPath("$.resources[?(@.name == 'pods/binding')].kind").value("Binding"))
                .andExpect(jsonPath("$.resources[?(@.name == 'pods')].shortNames[0]").value("po"));
        mvc.perform(get("/apis/apps/v1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.resources[?(@.name == 'deployments/scale')].group").value("autoscaling"));
        mvc.perform(get("/apis/apps"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("APIGroup"))
                .andExpect(jsonPath("$.preferredVersion.groupVersion").value("apps/v1"));
    }

    @ParameterizedTest
    @CsvSource({"/apis/nope.example.com", "/apis/nope.example.com/v1", "/apis/apps/v7"})
    void unservedGroupsAreNotFoundStatuses(String path) throws Exception {
        mvc.perform(get(path))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.kind").value("Status"))
                .andExpect(jsonPath("$.reason").value("NotFound"))
                .andExpect(jsonPath("$.code").value(404));
    }

    @Test
    void registeredCustomResourcesAppearAndDisappear() throws Exception {
        registry.register(new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
                List.of("ct"), List.of(), Set.of()));
        try {
            mvc.perform(get("/apis/stable.example.com/v1"))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.resources[0].name").value("crontabs"))
                    .andExpect(jsonPath("$.resources[0].shortNames[0]").value("ct"));
            mvc.perform(get("/apis").header("Accept", KUBECTL_ACCEPT))
                    .andExpect(content().string(org.hamcrest.Matchers.containsString("\"name\":\"stable.example.com\"")));
        } finally {
            registry.unregister("stable.example.com", "crontabs");
        }
        mvc.perform(get("/apis/stable.example.com/v1")).andExpect(status().isNotFound());
    }

    @Test
    void versionReportsTheKubernetesMinorItServes() throws Exception {
        mvc.perform(get("/version"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.major").value("1"))
                .andExpect(jsonPath("$.minor").value("32"))
                .andExpect(jsonPath("$.gitVersion").value("v1.32.0-kube4j"))
                .andExpect(jsonPath("$.platform").value(org.hamcrest.Matchers.matchesPattern("[a-z]+/[a-z0-9]+")));
    }
}
