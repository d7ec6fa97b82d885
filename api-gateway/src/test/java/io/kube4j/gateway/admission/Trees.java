package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;

/** Test objects written as YAML, as users and {@code kubectl get -o yaml} write them. */
final class Trees {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Trees() {}

    static ObjectNode yaml(String text) {
        return (ObjectNode) YAML.readTree(text);
    }

    /** Each cause rendered as kube-apiserver prints it: {@code field: message}. */
    static List<String> rendered(List<StatusCause> causes) {
        return causes.stream().map(StatusCause::render).toList();
    }

    /** Runs defaulting and validation of a create as the gateway does, without allocations. */
    static List<String> createErrors(KindStrategy strategy, ObjectNode object) {
        strategy.defaults(object);
        return rendered(strategy.validate(object, null));
    }
}
