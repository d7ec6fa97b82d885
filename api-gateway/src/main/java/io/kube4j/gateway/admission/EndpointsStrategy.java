package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** Endpoints (v1): ports TCP by default; addresses are IPs, ports in range, named when several. */
@Component
public final class EndpointsStrategy extends BaseStrategy {

    public EndpointsStrategy() {
        super("", "Endpoints");
    }

    @Override
    public void defaults(ObjectNode endpoints) {
        JsonTree.eachObject(endpoints, "subsets", (i, subset) ->
                JsonTree.eachObject(subset, "ports", (j, port) -> Defaulting.defaultText(port, "protocol", "TCP")));
    }

    @Override
    public List<StatusCause> validate(ObjectNode endpoints, ObjectNode old) {
        Causes causes = new Causes();
        JsonTree.eachObject(endpoints, "subsets", (i, subset) -> {
            FieldPath p = FieldPath.of("subsets").index(i);
            if (JsonTree.elements(subset, "addresses").isEmpty() && JsonTree.elements(subset, "notReadyAddresses").isEmpty()) {
                causes.required(p, "must specify `addresses` or `notReadyAddresses`");
            }
            for (String list : List.of("addresses", "notReadyAddresses")) {
                JsonTree.eachObject(subset, list, (j, address) -> {
                    String ip = JsonTree.stringOrEmpty(address, "ip");
                    if (!Addresses.isIp(ip)) causes.invalid(p.child(list).index(j).child("ip"), ip, Addresses.ipMessage());
                });
            }
            int portCount = JsonTree.elements(subset, "ports").size();
            JsonTree.eachObject(subset, "ports", (j, port) -> {
                FieldPath pp = p.child("ports").index(j);
                String name = JsonTree.stringOrEmpty(port, "name");
                if (portCount > 1 && name.isEmpty()) causes.required(pp.child("name"));
                else if (!name.isEmpty()) causes.invalidEach(pp.child("name"), name, NameValidation.isDns1123Label(name));
                Long number = JsonTree.integer(port, "port");
                if (number == null || number < 1 || number > 65535) {
                    causes.invalid(pp.child("port"), number == null ? 0 : number, Addresses.portRangeMessage());
                }
                String protocol = JsonTree.stringOrEmpty(port, "protocol");
                if (!PodSpecValidation.PROTOCOLS.contains(protocol)) causes.notSupported(pp.child("protocol"), protocol, PodSpecValidation.PROTOCOLS);
            });
        });
        return causes.list();
    }
}
