package io.lightbroker.broker.resp.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.testsupport.RawRespConnection;
import io.lightbroker.broker.testsupport.RedisServerProcess;
import io.lightbroker.broker.testsupport.RespBytes;
import io.lightbroker.broker.testsupport.RespTarget;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The pub/sub output-buffer hard limit, compared by outcome rather than bytes: how much a stalled
 * subscriber receives before the cut depends on kernel socket buffers, so a byte-exact conversation
 * cannot express it. Both servers run with a 1 MB hard limit and no soft limit; a subscriber that
 * never reads must be disconnected, after which PUBLISH counts no receiver and NUMSUB reports 0.
 */
class SlowSubscriberDisconnectTest {

    private static final List<String> ONE_MB_HARD_LIMIT = List.of("--client-output-buffer-limit", "pubsub", "1mb", "0", "0");
    private static final int MESSAGE_BYTES = 64 * 1024;
    // 256 MB in all: far beyond the limit plus any loopback socket buffering.
    private static final int MAX_MESSAGES = 4_096;

    record Outcome(boolean disconnected, long firstPublishCount, long publishCountAfterCut, String numsubAfterCut) {}

    @Test
    void stalledSubscriberIsDisconnectedAtTheHardLimitLikeRedis() {
        Outcome redis = stallSubscriber(RedisServerProcess::start);
        Outcome candidate = stallSubscriber(CandidateTarget::start);

        assertThat(redis.disconnected()).as("real redis disconnects the stalled subscriber").isTrue();
        assertThat(candidate).as(CandidateTarget.DESCRIPTION + " versus real redis").isEqualTo(redis);
    }

    private static Outcome stallSubscriber(Function<List<String>, RespTarget> start) {
        try (RespTarget server = start.apply(ONE_MB_HARD_LIMIT);
                RawRespConnection sub = RawRespConnection.open(server);
                RawRespConnection pub = RawRespConnection.open(server)) {
            sub.sendCommand("SUBSCRIBE", "firehose").expect("*3\\r\\n$9\\r\\nsubscribe\\r\\n$8\\r\\nfirehose\\r\\n:1\\r\\n");
            byte[] publish = RespBytes.command(RespBytes.latin1("PUBLISH"), RespBytes.latin1("firehose"), new byte[MESSAGE_BYTES]);

            long first = publishOnce(pub, publish);
            long count = first;
            for (int i = 1; i < MAX_MESSAGES && count > 0; i++) {
                count = publishOnce(pub, publish);
            }
            pub.sendCommand("PUBSUB", "NUMSUB", "firehose");
            String numsub = RespBytes.latin1(pub.readFrames(1, Duration.ofSeconds(5), Duration.ofMillis(50)).bytes());

            // Drain what the kernel buffered for the subscriber; the server must have closed the stream.
            boolean closed = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!closed && System.nanoTime() < deadline) {
                closed = sub.awaitClose(Duration.ofMillis(200)).closed();
            }
            return new Outcome(closed, first, count, numsub);
        }
    }

    private static long publishOnce(RawRespConnection pub, byte[] publish) {
        pub.sendBytes(publish);
        String reply = RespBytes.latin1(pub.readFrames(1, Duration.ofSeconds(5), Duration.ZERO).bytes());
        assertThat(reply).as("PUBLISH reply").matches(":\\d+\\r\\n");
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }
}
