package io.lightbroker.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.lightbroker.broker.auth.AuthExecutor;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.RawNatsConnection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bcrypt password not yet verified is checked off the event loop while the connection reads
 * nothing more; what the client pipelined behind its CONNECT is then handled in order, exactly as
 * if the check had been inline. Each test uses a freshly made hash, so the check is never cached.
 */
class NatsBcryptAuthTest {

    private LightBroker broker;

    @BeforeEach
    void start() {
        String hash = new String(BCrypt.withDefaults().hash(4, "pw".toCharArray()), StandardCharsets.UTF_8);
        String users = "[{\"user\":\"u\",\"password\":\"" + hash + "\",\"permissions\":{\"publish\":\"ok.>\"}}]";
        broker = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).setting("nats-users", users).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawNatsConnection open() {
        return RawNatsConnection.open("127.0.0.1", broker.natsPort()).expectInfo();
    }

    @Test
    void operationsPipelinedBehindAConnectWithAnUncheckedBcryptPasswordRunAfterTheCheckInOrder() {
        long offLoop = AuthExecutor.checksRun();
        try (RawNatsConnection c = open()) {
            c.send("CONNECT {\"verbose\":true,\"user\":\"u\",\"pass\":\"pw\"}\\r\\nSUB ok.a 1\\r\\nPUB ok.a 2\\r\\nhi\\r\\n"
                    + "PUB no 1\\r\\nx\\r\\nPING\\r\\n");
            c.expect("+OK\\r\\n+OK\\r\\n+OK\\r\\nMSG ok.a 1 2\\r\\nhi\\r\\n-ERR 'Permissions Violation for Publish to \"no\"'\\r\\nPONG\\r\\n");
        }
        assertThat(AuthExecutor.checksRun()).as("the bcrypt check ran on the auth pool").isGreaterThan(offLoop);
    }

    @Test
    void wrongBcryptPasswordIsAnAuthorizationViolationAndNothingPipelinedBehindItRuns() {
        try (RawNatsConnection c = open(); RawNatsConnection watcher = open()) {
            watcher.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\"}\\r\\nSUB ok.> 1\\r\\nPING\\r\\n").expect("PONG\\r\\n");
            c.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"wrong\"}\\r\\nPUB ok.leak 1\\r\\nx\\r\\nPING\\r\\n");
            c.expect("-ERR 'Authorization Violation'\\r\\n").expectClosed();
            watcher.send("PING\\r\\n").expect("PONG\\r\\n");
        }
    }

    @Test
    void connectSplitAcrossWritesWithDataBehindItStillWorks() throws Exception {
        try (RawNatsConnection c = open()) {
            c.send("CONNECT {\"verbose\":false,\"user\":\"u\",");
            Thread.sleep(20);
            c.send("\"pass\":\"pw\"}\\r\\nSUB ok.b 7\\r\\nPUB ok.b 1\\r\\n");
            Thread.sleep(20);
            c.send("z\\r\\nPING\\r\\n");
            c.expect("MSG ok.b 7 1\\r\\nz\\r\\nPONG\\r\\n");
        }
    }

    @Test
    void reconnectWithTheSamePasswordIsAccepted() {
        for (int i = 0; i < 2; i++) {
            try (RawNatsConnection c = open()) {
                c.send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\"}\\r\\nPING\\r\\n").expect("PONG\\r\\n");
            }
        }
    }
}
