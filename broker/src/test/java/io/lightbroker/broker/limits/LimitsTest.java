package io.lightbroker.broker.limits;

import static io.lightbroker.broker.resp.RawConnection.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.core.LimitHits;
import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.resp.RawConnection;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.RawNatsConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each connection limit: what the client over it sees, that it is counted for
 * {@code lightbroker_limit_hits_total}, and that the connections within the limit keep working.
 */
class LimitsTest {

    private static LimitHits hits(LightBroker b) {
        return b.broker().stats().limitHits;
    }

    @Test
    void respClientOverMaxClientsGetsRedisErrorAndIsClosedWhileOthersKeepWorking() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).setting("max-clients", "1").start();
             RawConnection first = new RawConnection(b.respPort())) {
            // The second connects only once the first is served: connections are counted on their
            // own event loops, so two connecting at once may be counted in either order.
            first.send(cmd("PING"));
            assertThat(first.readExpected("+PONG\r\n")).isEqualTo("+PONG\r\n");
            try (RawConnection second = new RawConnection(b.respPort())) {
                String err = "-ERR max number of clients reached\r\n";
                assertThat(second.readExpected(err)).isEqualTo(err);
                assertThat(second.closedByPeer()).isTrue();
            }
            first.send(cmd("PUBLISH", "a", "b"));
            assertThat(first.readExpected(":0\r\n")).isEqualTo(":0\r\n");
            assertThat(hits(b).count(Limit.MAX_CLIENTS)).isEqualTo(1);
        }
    }

    @Test
    void natsClientOverMaxConnectionsGetsNatsServerErrorAndIsClosedWhileOthersKeepWorking() {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).setting("nats-max-connections", "1").start();
             RawNatsConnection first = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
            first.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nPING\\r\\n").expect("PONG\\r\\n");
            try (RawNatsConnection second = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
                second.expectInfo().expect("-ERR 'maximum connections exceeded'\\r\\n").expectClosed();
            }
            first.send("PING\\r\\n").expect("PONG\\r\\n");
            assertThat(hits(b).count(Limit.MAX_CONNECTIONS)).isEqualTo(1);
        }
    }

    @Test
    void respSubscriptionsOverLimitRefuseTheWholeCommandAndKeepTheConnection() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-max-subscriptions", "2").start();
             RawConnection c = new RawConnection(b.respPort())) {
            c.send(cmd("SUBSCRIBE", "a"));
            String one = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n";
            assertThat(c.readExpected(one)).isEqualTo(one);
            c.send(cmd("PSUBSCRIBE", "b*", "c*"));
            String err = "-ERR max number of subscriptions per client reached\r\n";
            assertThat(c.readExpected(err)).isEqualTo(err);
            c.send(cmd("SUBSCRIBE", "a", "d"));
            String ok = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nd\r\n:2\r\n";
            assertThat(c.readExpected(ok)).isEqualTo(ok);
            assertThat(hits(b).count(Limit.MAX_SUBSCRIPTIONS)).isEqualTo(1);
        }
    }

    @Test
    void natsSubscriptionsOverLimitGetNatsServerErrorAndKeepTheConnection() {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).setting("nats-max-subscriptions", "1").start();
             RawNatsConnection c = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
            c.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nSUB a 1\\r\\nSUB b 2\\r\\nPING\\r\\n")
                    .expect("-ERR 'maximum subscriptions exceeded'\\r\\nPONG\\r\\n");
            assertThat(hits(b).count(Limit.MAX_SUBSCRIPTIONS)).isEqualTo(1);
        }
    }

    @Test
    void respClientThatNeverAuthenticatesIsClosedAfterAuthTimeoutWhileAnAuthenticatedOneStays() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).requirePass("pw")
                .setting("resp-auth-timeout", "200ms").start();
             RawConnection idle = new RawConnection(b.respPort());
             RawConnection authed = new RawConnection(b.respPort())) {
            authed.send(cmd("AUTH", "pw"));
            assertThat(authed.readExpected("+OK\r\n")).isEqualTo("+OK\r\n");
            assertThat(idle.drain(1500)).isEmpty();
            assertThat(idle.closedByPeer()).isTrue();
            authed.send(cmd("PING"));
            assertThat(authed.readExpected("+PONG\r\n")).isEqualTo("+PONG\r\n");
            assertThat(hits(b).count(Limit.AUTH_TIMEOUT)).isEqualTo(1);
        }
    }

    @Test
    void respAuthTimeoutDoesNothingWithoutAPassword() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-auth-timeout", "100ms").start();
             RawConnection c = new RawConnection(b.respPort())) {
            assertThat(c.drain(600)).isEmpty();
            c.send(cmd("PING"));
            assertThat(c.readExpected("+PONG\r\n")).isEqualTo("+PONG\r\n");
            assertThat(hits(b).count(Limit.AUTH_TIMEOUT)).isZero();
        }
    }

    @Test
    void natsClientThatNeverSendsConnectIsClosedAfterAuthTimeoutAndCounted() {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0)
                .setting("nats-auth-token", "t").setting("nats-auth-timeout", "200ms").start();
             RawNatsConnection c = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
            c.expectInfo().expect("-ERR 'Authentication Timeout'\\r\\n").expectClosed();
            assertThat(hits(b).count(Limit.AUTH_TIMEOUT)).isEqualTo(1);
        }
    }

    @Test
    void oversizedNatsPayloadAndControlLineAreCountedAsLimitHits() {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0)
                .setting("nats-max-payload", "16").setting("nats-max-control-line", "64").start()) {
            try (RawNatsConnection c = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
                c.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nPUB a 17\\r\\n")
                        .expect("-ERR 'Maximum Payload Violation'\\r\\n").expectClosed();
            }
            try (RawNatsConnection c = RawNatsConnection.open("127.0.0.1", b.natsPort())) {
                c.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nSUB " + "x".repeat(100) + " 1\\r\\n")
                        .expect("-ERR 'maximum control line exceeded'\\r\\n").expectClosed();
            }
            assertThat(hits(b).count(Limit.MAX_PAYLOAD)).isEqualTo(1);
            assertThat(hits(b).count(Limit.MAX_CONTROL_LINE)).isEqualTo(1);
        }
    }

    @Test
    void oversizedRespBulkIsCountedAsARequestSizeLimitHit() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-max-bulk-len", "1kb").start();
             RawConnection c = new RawConnection(b.respPort())) {
            c.send("*2\r\n$4\r\nECHO\r\n$2000\r\n");
            String err = "-ERR Protocol error: invalid bulk length\r\n";
            assertThat(c.readExpected(err)).isEqualTo(err);
            assertThat(c.closedByPeer()).isTrue();
            assertThat(hits(b).count(Limit.MAX_REQUEST_SIZE)).isEqualTo(1);
        }
    }
}
