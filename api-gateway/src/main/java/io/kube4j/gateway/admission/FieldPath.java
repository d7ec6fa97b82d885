package io.kube4j.gateway.admission;

/**
 * A field's path as Kubernetes prints it in validation errors: {@code spec.containers[0].image},
 * {@code data[tls.crt]}, {@code metadata.annotations[kubernetes.io/service-account.name]}.
 */
record FieldPath(String text) {

    static FieldPath of(String first, String... more) {
        FieldPath p = new FieldPath(first);
        for (String m : more) p = p.child(m);
        return p;
    }

    FieldPath child(String name) {
        return new FieldPath(text.isEmpty() ? name : text + "." + name);
    }

    FieldPath child(String name, String... more) {
        FieldPath p = child(name);
        for (String m : more) p = p.child(m);
        return p;
    }

    FieldPath index(int i) {
        return new FieldPath(text + "[" + i + "]");
    }

    FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    @Override
    public String toString() {
        return text;
    }
}
