package io.lightbroker.bench.jmh;

import io.lightbroker.nats.NatsHandler;
import io.lightbroker.nats.NatsParser;
import io.lightbroker.nats.NatsProtocolException;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespCommandSink;
import io.lightbroker.resp.RespLimits;
import io.lightbroker.resp.RespProtocolException;
import io.lightbroker.resp.RespRequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a stream of 1,000 pipelined publishes, as the broker receives them from a busy
 * publisher: RESP {@code PUBLISH ch payload} and NATS {@code PUB subj n\r\npayload}. Reports
 * time per message; run with {@code -prof gc} to see that parsing allocates nothing per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ParserBenchmark {
    static final int BATCH = 1000;

    @Param({"16", "1024"})
    int payload;

    private ByteBuf resp;
    private ByteBuf nats;
    private RespRequestParser respParser;
    private NatsParser natsParser;
    private Blackhole bh;

    @Setup
    public void setup(Blackhole bh) {
        this.bh = bh;
        String body = "x".repeat(payload);
        StringBuilder r = new StringBuilder();
        StringBuilder n = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            r.append("*3\r\n$7\r\nPUBLISH\r\n$10\r\nbench.subj\r\n$").append(payload).append("\r\n").append(body).append("\r\n");
            n.append("PUB bench.subj ").append(payload).append("\r\n").append(body).append("\r\n");
        }
        resp = Unpooled.directBuffer().writeBytes(r.toString().getBytes(StandardCharsets.US_ASCII));
        nats = Unpooled.directBuffer().writeBytes(n.toString().getBytes(StandardCharsets.US_ASCII));
        respParser = new RespRequestParser(RespLimits.DEFAULTS);
        respParser.setAuthenticated(true);
        natsParser = new NatsParser(new NatsHandler() {
            @Override
            public void onConnect(ByteBuf buf, int jsonIndex, int jsonLength) {
            }

            @Override
            public void onPub(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf p, int pi, int pl) {
                ParserBenchmark.this.bh.consume(pl);
            }

            @Override
            public void onHpub(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf m, int mi, int hl, int tl) {
            }

            @Override
            public void onSub(ByteBuf line, int si, int sl, int qi, int ql, int sidi, int sidl) {
            }

            @Override
            public void onUnsub(ByteBuf line, int sidi, int sidl, int max) {
            }

            @Override
            public void onPing() {
            }

            @Override
            public void onPong() {
            }
        });
    }

    private final RespCommandSink sink = (RespArgs a) -> bh.consume(a.length(2));

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void respPublishStream() throws RespProtocolException {
        resp.readerIndex(0);
        respParser.parse(resp, sink);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void natsPubStream() throws NatsProtocolException {
        nats.readerIndex(0);
        natsParser.parse(nats);
    }
}
