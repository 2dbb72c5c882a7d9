package io.lightbroker.bench.jmh;

import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.LoopContext;
import io.lightbroker.broker.core.OutputLimits;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.Subscriber;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publish path on one event loop, as the broker runs it when publisher and subscribers
 * share a loop: match (cached), encode once per frame shape, copy into each receiver's
 * outbound buffer. {@code receivers=0} is the zero-subscriber publish. Every 64 publishes the
 * scheduled flushes run and the written bytes are discarded, so memory stays flat. Run with
 * {@code -prof gc}: the literal-subject path should allocate nothing per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FanOutBenchmark {
    @Param({"0", "1", "10", "100"})
    int receivers;

    @Param({"resp", "nats"})
    String protocol;

    @Param({"16"})
    int payload;

    private Broker broker;
    private LoopContext here;
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private ByteBuf subject;
    private ByteBuf body;
    private int n;

    private static final class Receiver implements Subscriber {
        final Outbound outbound;

        Receiver(Outbound outbound) {
            this.outbound = outbound;
        }

        @Override
        public Outbound outbound() {
            return outbound;
        }

        @Override
        public long clientId() {
            return 1;
        }
    }

    @Setup
    public void setup() {
        broker = new Broker(PooledByteBufAllocator.DEFAULT);
        EmbeddedChannel first = new EmbeddedChannel();
        here = broker.loopContext(first.eventLoop());
        for (int i = 0; i < receivers; i++) {
            EmbeddedChannel ch = i == 0 ? first : new EmbeddedChannel();
            channels.add(ch);
            Outbound o = new Outbound(ch, broker.loopContext(ch.eventLoop()), OutputLimits.REDIS_PUBSUB, broker.stats(), (x, p) -> { });
            SubscriptionKind kind = protocol.equals("resp") ? SubscriptionKind.RESP_CHANNEL : SubscriptionKind.NATS;
            broker.index().add(new Subscription(new Receiver(o), kind, "bench.subj".getBytes(StandardCharsets.US_ASCII), null,
                    Integer.toString(i + 1).getBytes(StandardCharsets.US_ASCII)));
        }
        subject = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("bench.subj".getBytes(StandardCharsets.US_ASCII));
        body = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("x".repeat(payload).getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public int publish() {
        int r = broker.publish(subject, 0, subject.readableBytes(), body, 0, body.readableBytes(), null, here);
        if ((++n & 63) == 0) {
            for (EmbeddedChannel ch : channels) {
                ch.runPendingTasks();
                Object m;
                while ((m = ch.readOutbound()) != null) {
                    ((ByteBuf) m).release();
                }
            }
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        subject.release();
        body.release();
    }
}
