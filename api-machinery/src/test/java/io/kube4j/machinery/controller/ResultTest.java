package io.kube4j.machinery.controller;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTest {

    @Test
    void mergeKeepsTheEarlierRequeue() {
        assertThat(Result.DONE.merge(Result.requeueAfter(Duration.ofSeconds(3))).requeueAfter()).hasSeconds(3);
        assertThat(Result.requeueAfter(Duration.ofSeconds(3)).merge(Result.requeueAfter(Duration.ofSeconds(1))).requeueAfter()).hasSeconds(1);
        assertThat(Result.requeueAfter(Duration.ofSeconds(1)).merge(Result.DONE).requeueAfter()).hasSeconds(1);
        assertThat(Result.DONE.merge(Result.DONE).requeueAfter()).isNull();
    }

    @Test
    void shardsFollowKafkasKeyedPartitioner() {
        // murmur2 of the key bytes, made positive, modulo the count: the same shard on every replica.
        int shard = WorkShards.shardOf("default/web", 6);
        assertThat(shard).isBetween(0, 5).isEqualTo(WorkShards.shardOf("default/web", 6));
        assertThat(java.util.stream.IntStream.range(0, 600).map(i -> WorkShards.shardOf("ns/o" + i, 6)).distinct().count()).isEqualTo(6);
    }
}
