package io.kube4j.gateway.admission;

/** The group and kind every strategy names; the rest is each kind's own. */
abstract class BaseStrategy implements KindStrategy {

    private final String group;
    private final String kind;

    BaseStrategy(String group, String kind) {
        this.group = group;
        this.kind = kind;
    }

    @Override
    public final String group() {
        return group;
    }

    @Override
    public final String kind() {
        return kind;
    }
}
