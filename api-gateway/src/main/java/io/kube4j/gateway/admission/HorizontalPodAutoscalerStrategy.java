package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * HorizontalPodAutoscalers (autoscaling/v2): minReplicas 1; 80% average CPU utilisation when no
 * metric is given; when {@code behavior} is given, its missing scaleUp/scaleDown rules take
 * Kubernetes' defaults (scale up: no stabilisation, max of 4 pods or 100% per 15 s; scale down:
 * 100% per 15 s, stabilisation left to the controller's 300 s).
 */
@Component
public final class HorizontalPodAutoscalerStrategy extends BaseStrategy {

    private static final List<String> METRIC_TYPES = List.of("ContainerResource", "External", "Object", "Pods", "Resource");
    private static final List<String> TARGET_TYPES = List.of("AverageValue", "Utilization", "Value");
    private static final List<String> SELECT_POLICIES = List.of("Disabled", "Max", "Min");
    private static final List<String> POLICY_TYPES = List.of("Percent", "Pods");

    public HorizontalPodAutoscalerStrategy() {
        super("autoscaling", "HorizontalPodAutoscaler");
    }

    @Override
    public void defaults(ObjectNode hpa) {
        ObjectNode spec = Workloads.spec(hpa);
        Defaulting.defaultInt(spec, "minReplicas", 1);
        if (JsonTree.elements(spec, "metrics").isEmpty()) {
            ObjectNode metric = spec.putArray("metrics").addObject();
            metric.put("type", "Resource");
            ObjectNode resource = metric.putObject("resource");
            resource.put("name", "cpu");
            ObjectNode target = resource.putObject("target");
            target.put("type", "Utilization");
            target.put("averageUtilization", 80);
        }
        if (spec.get("behavior") instanceof ObjectNode behavior) {
            rules(behavior, "scaleUp", 0, new int[][]{{4, 15}}, new int[][]{{100, 15}});
            rules(behavior, "scaleDown", null, new int[0][], new int[][]{{100, 15}});
        }
    }

    private static void rules(ObjectNode behavior, String name, Integer window, int[][] pods, int[][] percent) {
        ObjectNode rules = JsonTree.ensureObject(behavior, name);
        if (window != null) Defaulting.defaultInt(rules, "stabilizationWindowSeconds", window);
        Defaulting.defaultText(rules, "selectPolicy", "Max");
        if (!JsonTree.present(rules, "policies")) {
            ArrayNode policies = rules.putArray("policies");
            for (int[] p : pods) policy(policies, "Pods", p);
            for (int[] p : percent) policy(policies, "Percent", p);
        }
    }

    private static void policy(ArrayNode policies, String type, int[] valueAndPeriod) {
        ObjectNode p = policies.addObject();
        p.put("type", type);
        p.put("value", valueAndPeriod[0]);
        p.put("periodSeconds", valueAndPeriod[1]);
    }

    @Override
    public void prepareForCreate(ObjectNode hpa, AdmissionContext context) {
        ObjectNode status = hpa.putObject("status");
        status.putNull("currentMetrics");
        status.put("desiredReplicas", 0);
    }

    @Override
    public List<StatusCause> validate(ObjectNode hpa, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(hpa, "spec");
        if (spec == null) return causes.required(specPath).list();
        ObjectNode ref = JsonTree.object(spec, "scaleTargetRef");
        FieldPath refPath = specPath.child("scaleTargetRef");
        if (JsonTree.stringOrEmpty(ref, "kind").isEmpty()) causes.required(refPath.child("kind"));
        String refName = JsonTree.stringOrEmpty(ref, "name");
        if (refName.isEmpty()) causes.required(refPath.child("name"));
        Long min = JsonTree.integer(spec, "minReplicas");
        Long max = JsonTree.integer(spec, "maxReplicas");
        if (min != null && min < 1) causes.invalid(specPath.child("minReplicas"), min, "must be greater than or equal to 1");
        if (max == null || max < 1) causes.invalid(specPath.child("maxReplicas"), max == null ? 0 : max, "must be greater than 0");
        if (min != null && max != null && max < min) {
            causes.invalid(specPath.child("maxReplicas"), max, "must be greater than or equal to `minReplicas`");
        }
        JsonTree.eachObject(spec, "metrics", (i, m) -> {
            FieldPath p = specPath.child("metrics").index(i);
            String type = JsonTree.stringOrEmpty(m, "type");
            if (type.isEmpty()) {
                causes.required(p.child("type"), "must specify a metric source type");
                return;
            }
            if (!METRIC_TYPES.contains(type)) {
                causes.notSupported(p.child("type"), type, METRIC_TYPES);
                return;
            }
            String field = Character.toLowerCase(type.charAt(0)) + type.substring(1);
            ObjectNode source = JsonTree.object(m, field);
            if (source == null) {
                causes.required(p.child(field), "must populate information for the given metric source");
                return;
            }
            if ((type.equals("Resource") || type.equals("ContainerResource")) && JsonTree.stringOrEmpty(source, "name").isEmpty()) {
                causes.required(p.child(field, "name"), "must specify a resource name");
            }
            ObjectNode target = JsonTree.object(source, "target");
            if (target == null) {
                causes.required(p.child(field, "target"));
                return;
            }
            String targetType = JsonTree.stringOrEmpty(target, "type");
            if (!TARGET_TYPES.contains(targetType)) causes.notSupported(p.child(field, "target", "type"), targetType, TARGET_TYPES);
            Long utilization = JsonTree.integer(target, "averageUtilization");
            if (utilization != null && utilization <= 0) {
                causes.invalid(p.child(field, "target", "averageUtilization"), utilization, "must be greater than 0");
            }
        });
        if (spec.get("behavior") instanceof ObjectNode behavior) {
            for (String direction : List.of("scaleUp", "scaleDown")) {
                ObjectNode rules = JsonTree.object(behavior, direction);
                if (rules == null) continue;
                FieldPath p = specPath.child("behavior", direction);
                String select = JsonTree.string(rules, "selectPolicy");
                if (select != null && !SELECT_POLICIES.contains(select)) causes.notSupported(p.child("selectPolicy"), select, SELECT_POLICIES);
                Long window = JsonTree.integer(rules, "stabilizationWindowSeconds");
                if (window != null && (window < 0 || window > 3600)) {
                    causes.invalid(p.child("stabilizationWindowSeconds"), window,
                            window < 0 ? "must be greater than or equal to zero" : "must be less than or equal to 3600");
                }
                if (JsonTree.present(rules, "policies") && JsonTree.elements(rules, "policies").isEmpty()) {
                    causes.required(p.child("policies"), "must specify at least one Policy");
                }
                JsonTree.eachObject(rules, "policies", (i, pol) -> {
                    FieldPath pp = p.child("policies").index(i);
                    String type = JsonTree.stringOrEmpty(pol, "type");
                    if (!POLICY_TYPES.contains(type)) causes.notSupported(pp.child("type"), type, POLICY_TYPES);
                    Long value = JsonTree.integer(pol, "value");
                    if (value == null || value <= 0) causes.invalid(pp.child("value"), value == null ? 0 : value, "must be greater than zero");
                    Long period = JsonTree.integer(pol, "periodSeconds");
                    if (period == null || period <= 0) {
                        causes.invalid(pp.child("periodSeconds"), period == null ? 0 : period, "must be greater than zero");
                    } else if (period > 1800) {
                        causes.invalid(pp.child("periodSeconds"), period, "must be less than or equal to 1800");
                    }
                });
            }
        }
        return causes.list();
    }
}
