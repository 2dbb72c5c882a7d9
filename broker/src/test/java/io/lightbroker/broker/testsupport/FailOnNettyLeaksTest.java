package io.lightbroker.broker.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leak check can fail: a buffer dropped on purpose is reported, and the check throws with its
 * access records. Each planted leak carries a unique hint and is claimed by the test that planted
 * it, so this class itself passes {@link FailOnNettyLeaks}.
 */
class FailOnNettyLeaksTest {
    private Level before;

    @BeforeEach
    void everyBufferTracked() {
        // Under surefire the level is already paranoid; elsewhere a sampled level could miss the one buffer.
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(Level.PARANOID);
    }

    @AfterEach
    void restoreLevel() {
        ResourceLeakDetector.setLevel(before);
    }

    /** In a method of its own, so that no local variable of the caller keeps the buffer reachable. */
    private static void dropWithoutRelease(String hint) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
        b.touch(hint);
    }

    private static boolean mentions(RecordingLeakDetector.Leak l, String hint) {
        return l.records().contains(hint);
    }

    @Test
    void detectorIsInstalledForThisJvm() {
        assertThat(RecordingLeakDetector.installed()).isTrue();
    }

    @Test
    void aDroppedBufferIsRecordedWithWhereItWasLastTouched() {
        String hint = "planted leak " + UUID.randomUUID();
        dropWithoutRelease(hint);

        RecordingLeakDetector.surfaceDroppedBuffers();
        List<RecordingLeakDetector.Leak> planted = RecordingLeakDetector.take(l -> mentions(l, hint));

        assertThat(planted).hasSize(1);
        assertThat(planted.get(0).resourceType()).isEqualTo("ByteBuf");
        assertThat(planted.get(0).records()).contains("dropWithoutRelease");
    }

    @Test
    void checkFailsNamingTheClassAndShowingTheRecords() {
        String hint = "planted leak " + UUID.randomUUID();
        dropWithoutRelease(hint);

        assertThatThrownBy(() -> FailOnNettyLeaks.check("some.TestClass", l -> mentions(l, hint)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after some.TestClass")
                .hasMessageContaining(hint);
    }

    @Test
    void aReleasedBufferIsNoLeak() {
        String hint = "released " + UUID.randomUUID();
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.touch(hint);
        b.release();

        RecordingLeakDetector.surfaceDroppedBuffers();

        assertThat(RecordingLeakDetector.take(l -> mentions(l, hint))).isEmpty();
    }
}
