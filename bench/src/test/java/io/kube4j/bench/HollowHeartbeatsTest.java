package io.kube4j.bench;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.testsupport.RedisProcess;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's heartbeats against a real Redis: the keys, values and expiry a node agent writes. */
class HollowHeartbeatsTest {

    @Test
    void beatsEveryNodeWithTheAgentsKeyValueAndExpiry() {
        try (RedisProcess redis = RedisProcess.start()) {
            long before = System.currentTimeMillis();
            try (HollowHeartbeats beats = new HollowHeartbeats(redis.host() + ":" + redis.port(), List.of("n-0", "n-1", "n-2")).start(60)) {
                for (String node : List.of("n-0", "n-1", "n-2")) {
                    long beat = Long.parseLong(redis.command("GET", EphemeralKeys.heartbeat(node)));
                    assertThat(beat).isBetween(before, System.currentTimeMillis());
                    long ttl = Long.parseLong(redis.command("TTL", EphemeralKeys.heartbeat(node)));
                    assertThat(ttl).isPositive().isLessThanOrEqualTo(EphemeralKeys.HEARTBEAT_TTL_SECONDS);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
