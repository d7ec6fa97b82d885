package io.kube4j.proxy.policy;

import java.util.List;

/** The desired network-policy state of a node: every isolated pod it filters for, sorted by address. Equal values program equal rules. */
public record PolicyRules(List<PodPolicy> pods) {

    public PolicyRules {
        pods = List.copyOf(pods);
    }

    public static PolicyRules empty() {
        return new PolicyRules(List.of());
    }
}
