package io.kube4j.store.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckTrackerTest {

    @Test
    void startsAtTheCheckpoint() {
        assertThat(new AckTracker(41).committable()).isEqualTo(41);
    }

    @Test
    void committableStopsBeforeTheOldestUnacknowledgedRevision() {
        AckTracker acks = new AckTracker(10);
        acks.sent(11);
        acks.sent(12);
        acks.sent(12); // two records of one transaction
        acks.sent(13);

        acks.acknowledged(13);
        acks.acknowledged(12);
        assertThat(acks.committable()).isEqualTo(10);

        acks.acknowledged(11);
        assertThat(acks.committable()).isEqualTo(11);

        acks.acknowledged(12);
        assertThat(acks.committable()).isEqualTo(13);
        assertThat(acks.inFlight()).isZero();
    }

    @Test
    void skippedRevisionsAdvanceOnlyBehindOutstandingOnes() {
        AckTracker acks = new AckTracker(0);
        acks.sent(5);
        acks.skipped(6);
        assertThat(acks.committable()).isEqualTo(4);
        acks.acknowledged(5);
        assertThat(acks.committable()).isEqualTo(6);
    }

    @Test
    void aFailedRecordHoldsTheCheckpointBackAndIsReported() {
        AckTracker acks = new AckTracker(0);
        acks.sent(1);
        acks.sent(2);
        acks.failed(new IllegalStateException("broker said no"));
        acks.acknowledged(2);
        assertThat(acks.committable()).isZero();
        assertThat(acks.failure()).hasMessage("broker said no");
    }

    @Test
    void revisionsMustNotGoBackwards() {
        AckTracker acks = new AckTracker(0);
        acks.sent(7);
        assertThatThrownBy(() -> acks.sent(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
