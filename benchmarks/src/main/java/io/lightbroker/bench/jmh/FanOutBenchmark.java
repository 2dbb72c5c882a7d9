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
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * outbound buffer, flush. {@code receivers=0} is the zero-subscriber publish.
 *
 * <p>Each invocation runs a batch of {@link #BATCH} publishes as one task on a real Netty event
 * loop (a {@link DefaultEventLoop}, whose thread Netty's pools and recyclers serve as they serve
 * the broker's loops), then flushes every receiver and discards what was written, so memory
 * stays flat. The receivers are {@link EmbeddedChannel}s whose outbound side only queues. Run
 * with {@code -prof gc}: {@code gc.alloc.rate.norm} is per publish (the batch task and its future
 * are shared by {@link #BATCH} publishes); the literal-subject path should allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@OperationsPerInvocation(FanOutBenchmark.BATCH)
public class FanOutBenchmark {
    static final int BATCH = 1024;

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
    private DefaultEventLoop loop;
    private Callable<Integer> batch;

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
        loop = new DefaultEventLoop();
        here = broker.loopContext(loop);
        for (int i = 0; i < receivers; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            // The allocator the server sets on every client channel (Netty 4.2's default is the
            // adaptive one, whose copy from a direct buffer allocates a ByteBuffer view per call).
            ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
            channels.add(ch);
            Outbound o = new Outbound(ch, here, OutputLimits.REDIS_PUBSUB, broker.stats(), (x, p) -> { });
            SubscriptionKind kind = protocol.equals("resp") ? SubscriptionKind.RESP_CHANNEL : SubscriptionKind.NATS;
            broker.index().add(new Subscription(new Receiver(o), kind, "bench.subj".getBytes(StandardCharsets.US_ASCII), null,
                    Integer.toString(i + 1).getBytes(StandardCharsets.US_ASCII)));
        }
        subject = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("bench.subj".getBytes(StandardCharsets.US_ASCII));
        body = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes("x".repeat(payload).getBytes(StandardCharsets.US_ASCII));
        batch = this::publishBatch;
    }

    /** On the loop: a batch of publishes, then what the broker does at the end of a read batch. */
    private Integer publishBatch() {
        int r = 0;
        for (int i = 0; i < BATCH; i++) {
            r += broker.publish(subject, 0, subject.readableBytes(), body, 0, body.readableBytes(), null, here);
        }
        here.flushDirty();
        for (EmbeddedChannel ch : channels) {
            Object m;
            while ((m = ch.readOutbound()) != null) {
                ((ByteBuf) m).release();
            }
        }
        return r;
    }

    @Benchmark
    public int publish() throws Exception {
        return loop.submit(batch).get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        loop.submit(() -> {
            for (EmbeddedChannel ch : channels) {
                ch.finishAndReleaseAll();
            }
        }).get();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        subject.release();
        body.release();
    }
}
