package io.kube4j.gateway.health;

import io.kube4j.gateway.http.ApiResponses;
import io.kube4j.gateway.http.FieldValidation;
import io.kube4j.gateway.http.MediaTypes;
import io.kube4j.gateway.http.ResourceController;
import io.kube4j.gateway.http.TablePrinter;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.Store;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/**
 * {@code /api/v1/componentstatuses}: the {@link ComponentStatuses} probed when asked, as JSON, YAML or a Table
 * ({@code kubectl get cs}), with kube-apiserver's deprecation warning. Only get and list.
 */
@RestController
@RequestMapping("/api/v1/componentstatuses")
@EnableConfigurationProperties(ComponentStatuses.Endpoints.class)
public class ComponentStatusController {

    static final String DEPRECATION = "v1 ComponentStatus is deprecated in v1.19+";

    private final ComponentStatuses statuses;
    private final TablePrinter tables;

    public ComponentStatusController(Store store, ComponentStatuses.Endpoints endpoints, TablePrinter tables) {
        this.statuses = new ComponentStatuses(store, endpoints);
        this.tables = tables;
    }

    @GetMapping
    public void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<ObjectNode> items = statuses.all();
        ObjectNode list = Json.object();
        list.put("kind", "ComponentStatusList");
        list.put("apiVersion", "v1");
        list.putObject("metadata");
        items.forEach(list.putArray("items")::add);
        write(request, response, items, list);
    }

    @GetMapping("/{name}")
    public void get(@PathVariable String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        var status = statuses.one(name);
        if (status.isEmpty()) {
            FieldValidation.addWarnings(response, List.of(DEPRECATION));
            ApiResponses.writeStatus(response, ApiException.notFound("", "componentstatuses", name));
            return;
        }
        write(request, response, List.of(status.get()), status.get());
    }

    /** {@code items} as the Table the client asked for, else {@code body} as JSON or YAML; with the deprecation warning. */
    private void write(HttpServletRequest request, HttpServletResponse response, List<ObjectNode> items, ObjectNode body)
            throws IOException {
        FieldValidation.addWarnings(response, List.of(DEPRECATION));
        MediaTypes.Rendering rendering = MediaTypes.rendering(request.getHeader("Accept"));
        if (rendering == MediaTypes.Rendering.TABLE) {
            ApiResponses.write(response, 200, tables.table(BuiltInTypes.COMPONENT_STATUS, items, Json.object(),
                    ResourceController.includeObject(request), true), MediaTypes.Rendering.JSON);
        } else {
            ApiResponses.write(response, 200, body, rendering);
        }
    }
}
