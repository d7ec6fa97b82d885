package io.kube4j.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RedisProcessTest {

    @Test
    void storesValuesForgetsThemOnRestartAndDeletesItsDirectory() {
        RedisProcess redis = RedisProcess.start();
        Path log = redis.log();
        try {
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("SET", "kube4j:test", "{\"a\":1}", "EX", "60")).isEqualTo("OK");
            assertThat(redis.command("GET", "kube4j:test")).isEqualTo("{\"a\":1}");
            assertThat(redis.command("TTL", "kube4j:test")).matches("\\d+");
            assertThat(redis.command("GET", "missing")).isNull();
            assertThat(redis.command("NOSUCHCOMMAND")).startsWith("-ERR");
            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            redis.restart();
            // No persistence, as the launcher runs it: a restart starts empty.
            assertThat(redis.command("GET", "kube4j:test")).isNull();
        } finally {
            redis.close();
        }
        assertThat(log.getParent()).doesNotExist();
    }
}
