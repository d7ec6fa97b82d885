package io.kube4j.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the gateway serves the API.
 *
 * @param watchCacheCapacity    how many recent events the watch cache keeps for resuming watches
 * @param watchQueueLimit       how far one watcher may fall behind before its watch is ended
 * @param bookmarkInterval      how often a watch that asked for bookmarks gets one when idle
 * @param minWatchTimeout       watches without timeoutSeconds end after 1–2 times this
 * @param anonymousAuth         whether requests without credentials are served as system:anonymous
 * @param kubeletConnectTimeout how long connecting to a node's agent (logs, exec, port forwarding) may take
 * @param kubeletAnswerTimeout  how long a node's agent may take to answer a stream's request head
 */
@ConfigurationProperties("kube4j.gateway")
public record GatewayProperties(
        @DefaultValue("20000") int watchCacheCapacity,
        @DefaultValue("100000") int watchQueueLimit,
        @DefaultValue("60s") Duration bookmarkInterval,
        @DefaultValue("30m") Duration minWatchTimeout,
        @DefaultValue("false") boolean anonymousAuth,
        @DefaultValue("5s") Duration kubeletConnectTimeout,
        @DefaultValue("30s") Duration kubeletAnswerTimeout) {
}
