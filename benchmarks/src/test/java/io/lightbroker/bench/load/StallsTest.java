package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StallsTest {

    private static final long MS = 1_000_000;

    @Test
    void aGapBetweenTurnsIsAStallThatDelaysTheSamplesSpanningIt() {
        Stalls s = new Stalls();
        s.countFrom(0);
        s.turn(1 * MS);
        s.turn(1 * MS + 50_000);
        s.turn(4 * MS); // lost its core from 1.05 ms to 4 ms

        assertThat(s.count()).isEqualTo(1);
        assertThat(s.totalNanos()).isEqualTo(4 * MS - (1 * MS + 50_000));
        assertThat(s.overlaps(0, 1 * MS)).isFalse();
        assertThat(s.overlaps(1 * MS, 2 * MS)).isTrue();
        assertThat(s.overlaps(3 * MS, 5 * MS)).isTrue();
        assertThat(s.overlaps(4 * MS, 5 * MS)).isFalse();
    }

    @Test
    void aLateReadInATurnIsTheSameStallAsTheLateTurnAfterIt() {
        Stalls s = new Stalls();
        s.countFrom(0);
        s.turn(10 * MS);
        s.read(12 * MS);
        s.read(13 * MS);
        s.turn(13 * MS + 10_000);

        assertThat(s.count()).isEqualTo(1);
        assertThat(s.totalNanos()).isEqualTo(3 * MS + 10_000);
        assertThat(s.overlaps(11 * MS, 11 * MS + 1)).isTrue();
    }

    @Test
    void shortGapsReadsAfterStopAndStallsBeforeCountingAreNotCounted() {
        Stalls s = new Stalls();
        s.turn(1 * MS);
        s.turn(3 * MS); // a stall during warm-up: excludes samples but is not counted
        s.countFrom(3 * MS);
        s.turn(3 * MS + 900_000);
        s.stop();
        s.read(10 * MS);

        assertThat(s.count()).isZero();
        assertThat(s.totalNanos()).isZero();
        assertThat(s.overlaps(2 * MS, 2 * MS + 1)).isTrue();
        assertThat(s.overlaps(5 * MS, 9 * MS)).isFalse();
    }
}
