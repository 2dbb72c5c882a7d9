package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RawConnection.bulk;
import static io.lightbroker.broker.resp.RawConnection.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw RESP conversations against lightbroker alone; the corpus compared with redis-server lives in the differential suite. */
class RespSessionTest {
    static LightBroker broker;

    @BeforeAll
    static void start() {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawConnection connect() throws Exception {
        return new RawConnection(broker.respPort());
    }

    @Test
    void publishReachesChannelThenPatternSubscriberInRedisOrder() throws Exception {
        try (RawConnection sub = connect(); RawConnection pub = connect()) {
            sub.send(cmd("SUBSCRIBE", "orders.eu") + cmd("PSUBSCRIBE", "orders.*"));
            assertThat(sub.readExpected("*3\r\n$9\r\nsubscribe\r\n$9\r\norders.eu\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$8\r\norders.*\r\n:2\r\n"))
                    .isEqualTo("*3\r\n$9\r\nsubscribe\r\n$9\r\norders.eu\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$8\r\norders.*\r\n:2\r\n");
            pub.send(cmd("PUBLISH", "orders.eu", "hi"));
            assertThat(pub.readExpected(":2\r\n")).isEqualTo(":2\r\n");
            String expected = "*3\r\n" + bulk("message") + bulk("orders.eu") + bulk("hi")
                    + "*4\r\n" + bulk("pmessage") + bulk("orders.*") + bulk("orders.eu") + bulk("hi");
            assertThat(sub.readExpected(expected)).isEqualTo(expected);
        }
    }

    @Test
    void resp3SubscriberGetsPushFrames() throws Exception {
        try (RawConnection sub = connect(); RawConnection pub = connect()) {
            sub.send(cmd("HELLO", "3"));
            String hello = sub.drain(300);
            assertThat(hello).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n");
            sub.send(cmd("SUBSCRIBE", "c"));
            assertThat(sub.readExpected(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n");
            pub.send(cmd("PUBLISH", "c", "x"));
            assertThat(pub.readExpected(":1\r\n")).isEqualTo(":1\r\n");
            String push = ">3\r\n" + bulk("message") + bulk("c") + bulk("x");
            assertThat(sub.readExpected(push)).isEqualTo(push);
            sub.send(cmd("PING"));
            assertThat(sub.readExpected("+PONG\r\n")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void pipelinedCommandsSplitAtEveryByteStillAnswerInOrder() throws Exception {
        String stream = cmd("PING") + "PING hello\r\n" + cmd("ECHO", "a\r\nb") + cmd("PUBLISH", "nobody", "x");
        String expected = "+PONG\r\n$5\r\nhello\r\n$4\r\na\r\nb\r\n:0\r\n";
        try (RawConnection c = connect()) {
            for (int split = 1; split < stream.length(); split += 7) {
                c.send(stream.substring(0, split));
                c.send(stream.substring(split));
                assertThat(c.readExpected(expected)).as("split at %d", split).isEqualTo(expected);
            }
        }
    }

    @Test
    void protocolErrorIsAnsweredThenTheConnectionCloses() throws Exception {
        try (RawConnection c = connect()) {
            c.send("*abc\r\n");
            assertThat(c.readExpected("-ERR Protocol error: invalid multibulk length\r\n"))
                    .isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void subscribedResp2ConnectionRejectsOtherCommandsButAnswersPingAsArray() throws Exception {
        try (RawConnection c = connect()) {
            c.send(cmd("SUBSCRIBE", "x"));
            c.readExpected("*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n");
            c.send(cmd("PUBLISH", "x", "y"));
            String err = "-ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
            assertThat(c.readExpected(err)).isEqualTo(err);
            c.send(cmd("PING"));
            assertThat(c.readExpected("*2\r\n$4\r\npong\r\n$0\r\n\r\n")).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
            c.send(cmd("UNSUBSCRIBE"));
            assertThat(c.readExpected("*3\r\n$11\r\nunsubscribe\r\n$1\r\nx\r\n:0\r\n")).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\nx\r\n:0\r\n");
            c.send(cmd("PUBLISH", "x", "y"));
            assertThat(c.readExpected(":0\r\n")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void shardChannelsAreReachedOnlyBySpublish() throws Exception {
        try (RawConnection sub = connect(); RawConnection pub = connect()) {
            sub.send(cmd("SSUBSCRIBE", "s1"));
            sub.readExpected("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n");
            pub.send(cmd("PUBLISH", "s1", "a") + cmd("SPUBLISH", "s1", "b"));
            assertThat(pub.readExpected(":0\r\n:1\r\n")).isEqualTo(":0\r\n:1\r\n");
            String expected = "*3\r\n" + bulk("smessage") + bulk("s1") + bulk("b");
            assertThat(sub.readExpected(expected)).isEqualTo(expected);
        }
    }

    @Test
    void clientReplyOffSilencesRepliesUntilOn() throws Exception {
        try (RawConnection c = connect()) {
            c.send(cmd("CLIENT", "REPLY", "OFF") + cmd("PING") + cmd("CLIENT", "REPLY", "ON") + cmd("CLIENT", "REPLY", "SKIP") + cmd("PING") + cmd("ECHO", "z"));
            assertThat(c.readExpected("+OK\r\n$1\r\nz\r\n")).isEqualTo("+OK\r\n$1\r\nz\r\n");
        }
    }

    @Test
    void quitRepliesOkAndCloses() throws Exception {
        try (RawConnection c = connect()) {
            c.send(cmd("QUIT"));
            assertThat(c.readExpected("+OK\r\n")).isEqualTo("+OK\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void unsubscribeClosesTheLoopOnDisconnect() throws Exception {
        RawConnection sub = connect();
        sub.send(cmd("SUBSCRIBE", "gone"));
        sub.readExpected("*3\r\n$9\r\nsubscribe\r\n$4\r\ngone\r\n:1\r\n");
        sub.close();
        try (RawConnection pub = connect()) {
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                pub.send(cmd("PUBSUB", "NUMSUB", "gone"));
                assertThat(pub.readExpected("*2\r\n$4\r\ngone\r\n:0\r\n")).isEqualTo("*2\r\n$4\r\ngone\r\n:0\r\n");
            });
        }
    }

    /** Redis 7.2 behaviour, deliberately ahead of the 7.0 the differential suite compares with: clients send it on connect. */
    @Test
    void clientSetinfoIsAcceptedAndShownInClientInfo() throws Exception {
        try (RawConnection c = connect()) {
            c.send(cmd("CLIENT", "SETINFO", "LIB-NAME", "jedis") + cmd("CLIENT", "SETINFO", "lib-ver", "5.1"));
            assertThat(c.readExpected("+OK\r\n+OK\r\n")).isEqualTo("+OK\r\n+OK\r\n");
            c.send(cmd("CLIENT", "INFO"));
            assertThat(c.drain(300)).contains("lib-name=jedis lib-ver=5.1");
        }
    }
}
