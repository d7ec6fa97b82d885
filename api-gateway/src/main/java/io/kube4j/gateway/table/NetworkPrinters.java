package io.kube4j.gateway.table;

import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.kube4j.gateway.table.ColumnPrinter.age;
import static io.kube4j.gateway.table.ColumnPrinter.col;
import static io.kube4j.gateway.table.ColumnPrinter.name;
import static io.kube4j.gateway.table.TableColumn.string;

/** Printers of services and the networking kinds. */
final class NetworkPrinters {

    private NetworkPrinters() {}

    /** How many entries a list cell shows before {@code + N more...}. */
    private static final int LIST_MAX = 3;

    static final TablePrinter SERVICE = ColumnPrinter.of(
            name(),
            col(string("Type", "type determines how the Service is exposed."), NetworkPrinters::serviceType),
            col(string("Cluster-IP", "clusterIP is the IP address of the service, usually assigned by the control plane."),
                    NetworkPrinters::clusterIp),
            col(string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also"
                    + " accept traffic for this service."), NetworkPrinters::externalIp),
            col(string("Port(s)", "The list of ports that are exposed by this service."), NetworkPrinters::servicePorts),
            age(),
            col(string("Selector", "Route service traffic to pods with label keys and values matching this selector.").wide(),
                    o -> Selectors.formatLabels(Fields.stringMap(o, "spec.selector"))));

    static final TablePrinter ENDPOINTS = ColumnPrinter.of(
            name(),
            col(string("Endpoints", "The set of all endpoints is the union of all subsets."), NetworkPrinters::endpoints),
            age());

    static final TablePrinter ENDPOINT_SLICE = ColumnPrinter.of(
            name(),
            col(string("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
                    o -> Fields.text(o, "addressType")),
            col(string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
                    NetworkPrinters::slicePorts),
            col(string("Endpoints", "endpoints is a list of unique endpoints in this slice."), NetworkPrinters::sliceEndpoints),
            age());

    static final TablePrinter INGRESS = ColumnPrinter.of(
            name(),
            col(string("Class", "The name of the IngressClass resource that should be used for additional configuration"),
                    o -> Fields.has(o, "spec.ingressClassName") ? Fields.text(o, "spec.ingressClassName") : Selectors.NONE),
            col(string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                    NetworkPrinters::ingressHosts),
            col(string("Address", "Address is a list containing ingress points for the load-balancer"),
                    o -> loadBalancerAddresses(JsonTree.at(o, "status.loadBalancer"))),
            col(string("Ports", "Ports of TLS configurations that open"),
                    o -> Fields.size(o, "spec.tls") > 0 ? "80, 443" : "80"),
            age());

    static final TablePrinter INGRESS_CLASS = ColumnPrinter.of(
            name(),
            col(string("Controller", "Controller that is responsible for handling this class"), o -> Fields.text(o, "spec.controller")),
            col(string("Parameters", "A reference to a resource with additional parameters"), NetworkPrinters::ingressClassParameters),
            age());

    static final TablePrinter NETWORK_POLICY = ColumnPrinter.of(
            name(),
            col(string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
                    o -> Selectors.formatLabelSelector(JsonTree.at(o, "spec.podSelector"))),
            age());

    static String serviceType(JsonNode svc) {
        // ClusterIP is the type defaulting gives a Service that names none.
        return Fields.has(svc, "spec.type") ? Fields.text(svc, "spec.type") : "ClusterIP";
    }

    static String clusterIp(JsonNode svc) {
        List<JsonNode> ips = Fields.list(svc, "spec.clusterIPs");
        if (!ips.isEmpty()) {
            return Fields.text(ips.getFirst());
        }
        return Fields.has(svc, "spec.clusterIP") ? Fields.text(svc, "spec.clusterIP") : Selectors.NONE;
    }

    static String externalIp(JsonNode svc) {
        List<String> externalIps = Fields.list(svc, "spec.externalIPs").stream().map(Fields::text).toList();
        return switch (serviceType(svc)) {
            case "ClusterIP", "NodePort" -> externalIps.isEmpty() ? Selectors.NONE : String.join(",", externalIps);
            case "LoadBalancer" -> {
                String lb = loadBalancerAddresses(JsonTree.at(svc, "status.loadBalancer"));
                if (!externalIps.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lb.isEmpty()) {
                        all.addAll(List.of(lb.split(",")));
                    }
                    all.addAll(externalIps);
                    yield String.join(",", all);
                }
                yield lb.isEmpty() ? "<pending>" : lb;
            }
            case "ExternalName" -> Fields.text(svc, "spec.externalName");
            default -> HumanDuration.UNKNOWN;
        };
    }

    /**
     * The load balancer's ingress points, IPs or else host names, sorted and de-duplicated. The
     * server prints the wide form: kubectl shortens nothing it receives.
     */
    static String loadBalancerAddresses(JsonNode loadBalancer) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode ingress : Fields.list(loadBalancer, "ingress")) {
            if (Fields.has(ingress, "ip")) {
                result.add(Fields.text(ingress, "ip"));
            } else if (Fields.has(ingress, "hostname")) {
                result.add(Fields.text(ingress, "hostname"));
            }
        }
        return String.join(",", result);
    }

    /** {@code 80/TCP} or {@code 80:30080/TCP} per port, joined by commas; {@code <none>} without ports. */
    static String servicePorts(JsonNode svc) {
        String ports = Fields.list(svc, "spec.ports").stream().map(p -> {
            String protocol = Fields.has(p, "protocol") ? Fields.text(p, "protocol") : "TCP";
            long port = Fields.integer(p, "port", 0);
            long nodePort = Fields.integer(p, "nodePort", 0);
            return nodePort > 0 ? port + ":" + nodePort + "/" + protocol : port + "/" + protocol;
        }).collect(Collectors.joining(","));
        return ports.isEmpty() ? Selectors.NONE : ports;
    }

    /** {@code ip:port} for every address and port, three at most, then {@code + N more...}. */
    static String endpoints(JsonNode ep) {
        List<JsonNode> subsets = Fields.list(ep, "subsets");
        if (subsets.isEmpty()) {
            return Selectors.NONE;
        }
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Fields.list(subset, "addresses");
            List<JsonNode> ports = Fields.list(subset, "ports");
            if (ports.isEmpty()) {
                // A headless service may have no ports: its endpoints are bare addresses.
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == LIST_MAX) {
                        more = true;
                        break;
                    }
                    list.add(Fields.text(address, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == LIST_MAX) {
                        more = true;
                        break;
                    }
                    list.add(joinHostPort(Fields.text(address, "ip"), Fields.integer(port, "port", 0)));
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - LIST_MAX) + " more..." : joined;
    }

    private static String joinHostPort(String host, long port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    static String slicePorts(JsonNode slice) {
        List<String> list = new ArrayList<>();
        int count = 0;
        boolean more = false;
        for (JsonNode port : Fields.list(slice, "ports")) {
            if (list.size() < LIST_MAX) {
                String text = "*";
                if (Fields.present(port, "port")) {
                    text = Long.toString(Fields.integer(port, "port", 0));
                } else if (Fields.present(port, "name")) {
                    text = Fields.text(port, "name");
                }
                list.add(text);
            } else if (list.size() == LIST_MAX) {
                more = true;
            }
            count++;
        }
        return listWithMore(list, more, count);
    }

    static String sliceEndpoints(JsonNode slice) {
        List<String> list = new ArrayList<>();
        int count = 0;
        boolean more = false;
        for (JsonNode endpoint : Fields.list(slice, "endpoints")) {
            for (JsonNode address : Fields.list(endpoint, "addresses")) {
                if (list.size() < LIST_MAX) {
                    list.add(Fields.text(address));
                } else if (list.size() == LIST_MAX) {
                    more = true;
                }
                count++;
            }
        }
        return listWithMore(list, more, count);
    }

    private static String listWithMore(List<String> list, boolean more, int count) {
        String joined = String.join(",", list);
        if (more) {
            return joined + " + " + (count - LIST_MAX) + " more...";
        }
        return joined.isEmpty() ? "<unset>" : joined;
    }

    static String ingressHosts(JsonNode ingress) {
        List<JsonNode> rules = Fields.list(ingress, "spec.rules");
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == LIST_MAX) {
                more = true;
            }
            if (!more && Fields.has(rule, "host")) {
                list.add(Fields.text(rule, "host"));
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - LIST_MAX) + " more..." : joined;
    }

    static String ingressClassParameters(JsonNode ingressClass) {
        JsonNode parameters = JsonTree.at(ingressClass, "spec.parameters");
        if (!parameters.isObject()) {
            return Selectors.NONE;
        }
        String text = Fields.text(parameters, "kind");
        if (Fields.present(parameters, "apiGroup")) {
            text = text + "." + Fields.text(parameters, "apiGroup");
        }
        return text + "/" + Fields.text(parameters, "name");
    }
}
