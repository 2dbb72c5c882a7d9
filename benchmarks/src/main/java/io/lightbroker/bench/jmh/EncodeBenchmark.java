package io.lightbroker.bench.jmh;

import io.lightbroker.nats.NatsEncoder;
import io.lightbroker.resp.RespPubSubFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
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
 * Encoding one delivered frame into a direct buffer, as the fan-out does it: a RESP2 and a RESP3
 * {@code message}, a whole NATS {@code MSG}, and a NATS {@code MSG} assembled from its shared head
 * and control line around the subscription's sid, with the payload copied from where it is (what each extra NATS receiver costs). Run with
 * {@code -prof gc}: nothing here may allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EncodeBenchmark {
    @Param({"16", "1024"})
    int payload;

    private ByteBuf out;
    private ByteBuf subject;
    private ByteBuf body;
    private ByteBuf pieces;
    private int headLength;
    private int controlLength;
    private final byte[] sid = "42".getBytes(StandardCharsets.US_ASCII);

    @Setup
    public void setup() {
        out = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(64 * 1024)).clear();
        subject = Unpooled.directBuffer().writeBytes("orders.eu.new".getBytes(StandardCharsets.US_ASCII));
        body = Unpooled.directBuffer().writeBytes("x".repeat(payload).getBytes(StandardCharsets.US_ASCII));
        pieces = Unpooled.directBuffer(4096);
        NatsEncoder.frameHead(pieces, false, subject, 0, subject.readableBytes());
        headLength = pieces.writerIndex();
        NatsEncoder.msgControl(pieces, null, 0, 0, body.readableBytes());
        controlLength = pieces.writerIndex() - headLength;
    }

    @Benchmark
    public int respMessage2() {
        out.clear();
        RespPubSubFrames.message(out, false, subject, 0, subject.readableBytes(), body, 0, body.readableBytes());
        return out.writerIndex();
    }

    @Benchmark
    public int respMessage3() {
        out.clear();
        RespPubSubFrames.message(out, true, subject, 0, subject.readableBytes(), body, 0, body.readableBytes());
        return out.writerIndex();
    }

    @Benchmark
    public int natsMsgWhole() {
        out.clear();
        NatsEncoder.msg(out, subject, 0, subject.readableBytes(), sid, null, 0, 0, body, 0, body.readableBytes());
        return out.writerIndex();
    }

    @Benchmark
    public int natsMsgFromPieces() {
        out.clear();
        out.writeBytes(pieces, 0, headLength).writeBytes(sid).writeBytes(pieces, headLength, controlLength)
            .writeBytes(body, 0, body.readableBytes()).writeShort(('\r' << 8) | '\n');
        return out.writerIndex();
    }
}
