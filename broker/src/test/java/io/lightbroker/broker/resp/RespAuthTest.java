package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RawConnection.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RespAuthTest {
    static LightBroker broker;

    @BeforeAll
    static void start() {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).requirePass("s3cret").start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void commandsBeforeAuthGetNoauthAndWrongPasswordGetsWrongpass() throws Exception {
        try (RawConnection c = new RawConnection(broker.respPort())) {
            c.send(cmd("PUBLISH", "a", "b"));
            assertThat(c.readExpected("-NOAUTH Authentication required.\r\n")).isEqualTo("-NOAUTH Authentication required.\r\n");
            c.send(cmd("AUTH", "nope"));
            String wrong = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
            assertThat(c.readExpected(wrong)).isEqualTo(wrong);
            c.send(cmd("AUTH", "s3cret") + cmd("PUBLISH", "a", "b"));
            assertThat(c.readExpected("+OK\r\n:0\r\n")).isEqualTo("+OK\r\n:0\r\n");
        }
    }

    @Test
    void helloWithAuthAuthenticatesAndSwitchesProtocol() throws Exception {
        try (RawConnection c = new RawConnection(broker.respPort())) {
            c.send(cmd("HELLO", "3", "AUTH", "default", "s3cret"));
            assertThat(c.drain(300)).startsWith("%7\r\n");
            c.send(cmd("PING"));
            assertThat(c.readExpected("+PONG\r\n")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void unauthenticatedClientsGetRedisTighterMultibulkLimit() throws Exception {
        try (RawConnection c = new RawConnection(broker.respPort())) {
            c.send("*100\r\n");
            String err = "-ERR Protocol error: unauthenticated multibulk length\r\n";
            assertThat(c.readExpected(err)).isEqualTo(err);
            assertThat(c.closedByPeer()).isTrue();
        }
    }
}
