package io.kube4j.gateway.security;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;

/**
 * The key that signs ServiceAccount tokens, kept as {@code sa.key} in the PKI directory so that
 * tokens survive a restart and every gateway sharing the directory accepts the others' tokens.
 */
public final class ServiceAccountKey {

    private ServiceAccountKey() {}

    /**
     * Reads the key, or creates it on first start. Holds the PKI directory's file lock while doing
     * so, like the CA's creation, so that gateways starting together agree on one key.
     */
    public static PrivateKey loadOrCreate(PkiFiles files) throws IOException {
        Files.createDirectories(files.dir());
        try (FileChannel channel = FileChannel.open(files.dir().resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Path file = files.serviceAccountKey();
            if (Files.exists(file)) return Pem.readPrivateKey(file);
            PrivateKey key = ServiceAccountTokens.newKey();
            AtomicFiles.write(file, Pem.encode(key), true);
            return key;
        }
    }
}
