package io.kube4j.gateway.table;

import io.kube4j.gateway.crd.CustomResourceTypes;
import io.kube4j.gateway.http.TablePrinter;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's server-side printing: built-in kinds through their printers, custom resources
 * through their definition's printer columns.
 */
@Component
public class TableRendering implements TablePrinter {

    private final TableConvertor convertor = new TableConvertor();
    private final CustomResourceTypes customResources;
    private final Clock clock;

    public TableRendering(CustomResourceTypes customResources, Clock clock) {
        this.customResources = customResources;
        this.clock = clock;
    }

    @Override
    public ObjectNode table(ResourceType type, List<ObjectNode> objects, ObjectNode listMetadata, String includeObject,
                            boolean withHeaders) {
        IncludeObject include = IncludeObject.fromParameter(includeObject);
        Optional<ObjectNode> crd = BuiltInTypes.ALL.contains(type) ? Optional.empty()
                : customResources.definition(type.group(), type.plural());
        ObjectNode table = crd.isPresent()
                ? convertor.toTable(PrinterColumn.forVersion(crd.get(), type.version()), objects, listMetadata, include, clock.instant())
                : convertor.toTable(type, objects, listMetadata, include, clock.instant());
        return withHeaders ? table : TableConvertor.withoutColumnDefinitions(table);
    }
}
