package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's write coalescing (LoopContext, "Coalescing") on an embedded channel whose every
 * flush takes 50 us of a fake clock: what is held back, what goes out at once, and that the
 * held writes go out whole and in order when the hold ends.
 */
class WriteCoalescingTest {
    private static final long FLUSH_NANOS = 50_000;

    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final long[] now = {1_000_000};
    private long flushCost = FLUSH_NANOS;
    private EmbeddedChannel channel;
    private LoopContext loop;
    private Outbound out;
    private Traffic traffic;

    private void start(int coalescing) {
        channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                now[0] += flushCost;
                ctx.flush();
            }
        });
        channel.freezeTime();
        traffic = new Traffic(false);
        loop = new LoopContext(channel.eventLoop(), alloc, traffic, coalescing, () -> now[0]);
        out = new Outbound(channel, loop, new OutputLimits(0, 0, 0), new BrokerStats(), (o, pending) -> { });
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** A read batch of {@code publishes} publishes that wrote {@code text} to the subscriber. */
    private void batch(String text, int publishes) {
        out.buffer(text.length()).writeCharSequence(text, StandardCharsets.US_ASCII);
        out.replyWritten();
        for (int i = 0; i < publishes; i++) {
            traffic.published(text.length());
        }
        loop.endOfBatch();
    }

    private String written() {
        StringBuilder all = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            all.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return all.toString();
    }

    @Test
    void batchesSoonAfterAFlushWaitForOneFlushAtTheEndOfTheHold() {
        start(100);
        batch("a", 2);
        assertThat(written()).isEqualTo("a");
        // The round took 50 us; smoothed over rounds (1/8 each) that is a 6.25 us hold so far.
        batch("b", 2);
        batch("c", 3);
        channel.runPendingTasks();
        assertThat(written()).isEmpty();
        assertThat(loop.heldFlushes()).isEqualTo(1);

        channel.advanceTimeBy(6_249, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).isEqualTo("bc");
    }

    @Test
    void aBatchOfOnePublishGoesOutAtOnce() {
        start(100);
        batch("a", 2);
        batch("b", 1);
        assertThat(written()).isEqualTo("ab");
        assertThat(loop.heldFlushes()).isZero();
    }

    @Test
    void aBatchAfterTheHoldHasPassedGoesOutAtOnce() {
        start(100);
        batch("a", 2);
        now[0] += 6_250;
        batch("b", 2);
        assertThat(written()).isEqualTo("ab");
        assertThat(loop.heldFlushes()).isZero();
    }

    @Test
    void zeroNeverHolds() {
        start(0);
        for (int i = 0; i < 5; i++) {
            batch("x" + i, 4);
        }
        assertThat(written()).isEqualTo("x0x1x2x3x4");
        assertThat(loop.heldFlushes()).isZero();
    }

    @Test
    void anImmediateFlushTakesWhatIsHeldAndTheHoldStillEnds() {
        start(100);
        batch("a", 2);
        assertThat(written()).isEqualTo("a");
        batch("b", 2);
        assertThat(written()).isEmpty();
        // A PING, a close: flushDirty sends the held bytes at once.
        loop.flushDirty();
        assertThat(written()).isEqualTo("b");
        batch("c", 2);
        assertThat(written()).isEmpty();
        channel.advanceTimeBy(100, TimeUnit.MICROSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).isEqualTo("c");
    }

    @Test
    void theHoldNeverExceedsItsCap() {
        flushCost = 10_000_000;
        start(1000);
        // Single publishes flush at once; each round of 10 ms raises the smoothed round time.
        for (int i = 0; i < 20; i++) {
            batch("r", 1);
        }
        written();
        batch("a", 2);
        assertThat(written()).isEmpty();
        channel.advanceTimeBy(LoopContext.MAX_HOLD_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).isEqualTo("a");
    }

    @Test
    void closingFlushesWhatEveryLoopHolds() {
        start(100);
        batch("a", 2);
        assertThat(written()).isEqualTo("a");
        batch("b", 2);
        assertThat(written()).isEmpty();
        loop.flushSoon();
        channel.runPendingTasks();
        assertThat(written()).isEqualTo("b");
    }
}
