package io.kube4j.gateway.security;

import java.nio.file.Path;

/** The file names inside the PKI directory, the same names kube-apiserver deployments use. */
public record PkiFiles(Path dir) {

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path servingCertificate() {
        return dir.resolve("apiserver.crt");
    }

    public Path servingKey() {
        return dir.resolve("apiserver.key");
    }

    public Path tokens() {
        return dir.resolve("tokens.csv");
    }

    /** The key that signs ServiceAccount tokens (kube-apiserver's {@code sa.key}). */
    public Path serviceAccountKey() {
        return dir.resolve("sa.key");
    }
}
