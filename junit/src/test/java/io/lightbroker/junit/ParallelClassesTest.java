package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.embed.Capture;
import io.lightbroker.broker.server.LightBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Parallel execution is on for this class only (see {@code junit-platform.properties}): its
 * nested classes run at the same time, which the barrier proves (it breaks after 30 s unless
 * all three are inside their test at once), and each has a broker of its own on its own ports.
 */
@Execution(ExecutionMode.CONCURRENT)
class ParallelClassesTest {
    static final int CLASSES = 3;
    static final CyclicBarrier allRunning = new CyclicBarrier(CLASSES);
    static final Map<String, LightBroker> brokers = new ConcurrentHashMap<>();

    static void runConcurrently(String name, LightBroker broker, String natsUrl) throws Exception {
        brokers.put(name, broker);
        allRunning.await(30, TimeUnit.SECONDS);
        // Every broker is up at once; each sees only its own traffic.
        Capture mine = broker.captured("who");
        try (Connection nc = Nats.connect(natsUrl)) {
            nc.publish("who", name.getBytes(StandardCharsets.UTF_8));
            nc.flush(Duration.ofSeconds(5));
        }
        assertThat(mine.awaitCount(1, Duration.ofSeconds(10))).extracting(m -> m.payloadAsString()).containsExactly(name);
        allRunning.await(30, TimeUnit.SECONDS);
        assertThat(mine.strings()).containsExactly(name);
    }

    @AfterAll
    static void eachClassHadItsOwnBroker() {
        assertThat(brokers).hasSize(CLASSES);
        assertThat(brokers.values()).doesNotHaveDuplicates();
        assertThat(brokers.values().stream().map(LightBroker::natsPort).distinct()).hasSize(CLASSES);
        assertThat(brokers.values().stream().map(LightBroker::respPort).distinct()).hasSize(CLASSES);
    }

    @Nested
    @ExtendWith(LightBrokerExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    class First {
        @Test
        void runs(LightBroker broker, @NatsUrl String nats) throws Exception {
            runConcurrently("first", broker, nats);
        }
    }

    @Nested
    @ExtendWith(LightBrokerExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    class Second {
        @Test
        void runs(LightBroker broker, @NatsUrl String nats) throws Exception {
            runConcurrently("second", broker, nats);
        }
    }

    @Nested
    @ExtendWith(LightBrokerExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    class Third {
        @Test
        void runs(LightBroker broker, @NatsUrl String nats) throws Exception {
            runConcurrently("third", broker, nats);
        }
    }
}
