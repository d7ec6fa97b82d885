package io.kube4j.machinery.informer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedPositionTest {

    @Test
    void recordsCoveredByTheListAreDropped() {
        FeedPosition position = new FeedPosition();
        position.listed(100);
        assertThat(position.admit(0, 99)).isFalse();
        assertThat(position.admit(0, 100)).isFalse();
        assertThat(position.admit(0, 101)).isTrue();
    }

    @Test
    void repeatsWithinAPartitionAreDroppedButOtherPartitionsAreIndependent() {
        FeedPosition position = new FeedPosition();
        position.listed(10);
        assertThat(position.admit(0, 20)).isTrue();
        assertThat(position.admit(1, 15)).as("partition 1 has its own order").isTrue();
        assertThat(position.admit(0, 15)).as("a relay repeat in partition 0").isFalse();
        assertThat(position.admit(0, 20)).isFalse();
        assertThat(position.admit(0, 21)).isTrue();
    }

    @Test
    void aNewListResetsThePartitions() {
        FeedPosition position = new FeedPosition();
        position.listed(10);
        position.admit(0, 50);
        position.listed(40);
        assertThat(position.admit(0, 45)).isTrue();
        assertThat(position.admit(0, 40)).isFalse();
    }
}
