package io.kube4j.node.volume;

import java.time.Instant;

/**
 * Where a pod's projected {@code serviceAccountToken} comes from: the TokenRequest API
 * ({@code serviceaccounts/{name}/token}) of the gateway. {@link VolumeManager} keeps each token and asks
 * again once 80% of its life has passed, as the kubelet does.
 */
public interface ServiceAccountTokens {

    /** A token and when it expires. */
    record Token(String value, Instant expires) {
    }

    /**
     * A token for the ServiceAccount {@code namespace/account} for {@code audience} (null: the API's own),
     * valid for {@code expirationSeconds}.
     *
     * @throws VolumeManager.VolumeError when the account does not exist or the request is refused
     */
    Token request(String namespace, String account, String audience, long expirationSeconds);

    /** A source that has none: a pod asking for a token cannot start. */
    ServiceAccountTokens NONE = (namespace, account, audience, expirationSeconds) -> {
        throw new VolumeManager.VolumeError("no ServiceAccount tokens on this node");
    };
}
