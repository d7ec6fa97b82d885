package io.kube4j.gateway.openapi;

import io.kube4j.machinery.registry.ResourceRegistry;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = OpenApiController.class)
@ContextConfiguration(classes = OpenApiControllerTest.Slice.class)
class OpenApiControllerTest {

    @Configuration(proxyBeanMethods = false)
    @Import({OpenApiController.class, OpenApiService.class})
    static class Slice {
        @Bean
        ResourceRegistry resourceRegistry() {
            return ResourceRegistry.builtIn();
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void indexLinksToDocumentsThatAreServed() throws Exception {
        byte[] index = mvc.perform(get("/openapi/v3").header("Accept", "application/json"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/json"))
                .andReturn().getResponse().getContentAsByteArray();
        JsonNode paths = JsonMapper.builder().build().readTree(index).get("paths");
        String url = paths.get("apis/apps/v1").get("serverRelativeURL").asString();
        String path = url.substring(0, url.indexOf('?'));
        String hash = url.substring(url.indexOf("hash=") + 5);
        mvc.perform(get(path).queryParam("hash", hash).header("Accept", "application/json"))
                .andExpect(status().isOk())
                .andExpect(header().string("ETag", "\"" + hash + "\""))
                .andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("immutable")))
                .andExpect(jsonPath("$.openapi").value("3.0.0"))
                .andExpect(jsonPath("$.components.schemas['io.k8s.api.apps.v1.Deployment'].type").value("object"));
        assertThat(paths.has("api/v1")).isTrue();

        mvc.perform(get(path).queryParam("hash", "0123ABCD"))
                .andExpect(status().isMovedPermanently())
                .andExpect(header().string("Location", url));
    }

    @ParameterizedTest
    @CsvSource({"/openapi/v3/apis/nope.example.com/v1", "/openapi/v3/apis/apps/v9", "/openapi/v3/api/v2"})
    void unknownDocumentsAreNotFound(String path) throws Exception {
        mvc.perform(get(path))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.kind").value("Status"))
                .andExpect(jsonPath("$.code").value(404));
    }

    @ParameterizedTest(name = "Accept {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "application/json|200",
            "*/*|200",
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json|200",
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf|406",
    })
    void swagger2IsServedAsJsonOnly(String accept, int code) throws Exception {
        mvc.perform(get("/openapi/v2").header("Accept", accept)).andExpect(status().is(code));
    }
}
