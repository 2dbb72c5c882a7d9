package io.lightbroker.bench.jmh;

import io.lightbroker.broker.core.MatchCache;
import io.lightbroker.broker.core.MatchResult;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.Subscriber;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionIndex;
import io.lightbroker.broker.core.SubscriptionKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Subject matching with {@code subs} subscriptions present, each kind on its own: exact RESP
 * channels, NATS {@code bench.N.*}, NATS {@code bench.N.>}, Redis globs {@code bench.N.*}.
 * {@code hit} looks up a subject through the per-loop cache; {@code miss} computes the match
 * from the index every time (the cost the cache saves, and the cost after every change).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MatchBenchmark {
    @Param({"10", "1000", "100000"})
    int subs;

    @Param({"literal", "nats-star", "nats-gt", "glob"})
    String kind;

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final MatchCache cache = new MatchCache();
    private ByteBuf subject;
    private int len;

    private static final Subscriber NOBODY = new Subscriber() {
        @Override
        public Outbound outbound() {
            return null;
        }

        @Override
        public long clientId() {
            return 0;
        }
    };

    @Setup
    public void setup() {
        for (int i = 0; i < subs; i++) {
            String s;
            SubscriptionKind k;
            switch (kind) {
                case "literal" -> {
                    s = "bench." + i + ".x";
                    k = SubscriptionKind.RESP_CHANNEL;
                }
                case "nats-star" -> {
                    s = "bench." + i + ".*";
                    k = SubscriptionKind.NATS;
                }
                case "nats-gt" -> {
                    s = "bench." + i + ".>";
                    k = SubscriptionKind.NATS;
                }
                default -> {
                    s = "bench." + i + ".*";
                    k = SubscriptionKind.RESP_PATTERN;
                }
            }
            index.add(new Subscription(NOBODY, k, s.getBytes(StandardCharsets.US_ASCII), null, "1".getBytes(StandardCharsets.US_ASCII)));
        }
        byte[] subj = ("bench." + (subs / 2) + ".x").getBytes(StandardCharsets.US_ASCII);
        subject = Unpooled.directBuffer().writeBytes(subj);
        len = subj.length;
    }

    @Benchmark
    public MatchResult hit() {
        return index.match(subject, 0, len, cache);
    }

    @Benchmark
    public MatchResult miss() {
        return index.match(subject, 0, len, null);
    }
}
