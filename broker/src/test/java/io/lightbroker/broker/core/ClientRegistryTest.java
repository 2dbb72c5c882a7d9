package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connection limits' one step of check and register: however many event loops accept at
 * once, no more clients are registered than the limit allows.
 */
class ClientRegistryTest {

    private record Client(long clientId, String protocol) implements ClientInfo {
        @Override public String name() { return null; }
        @Override public String remoteAddress() { return ""; }
        @Override public long startMillis() { return 0; }
        @Override public long lastActivityMillis() { return 0; }
        @Override public int subscriptionCount() { return 0; }
        @Override public long pendingBytes() { return 0; }
        @Override public long msgsIn() { return 0; }
        @Override public long bytesIn() { return 0; }
        @Override public long msgsOut() { return 0; }
        @Override public long bytesOut() { return 0; }
        @Override public void kill() {}
    }

    @Test
    void limitOfAllProtocolsCountsEveryProtocol() {
        ClientRegistry r = new ClientRegistry();
        assertThat(r.addIfBelow(new Client(r.nextId(), "nats"), 2, null)).isTrue();
        assertThat(r.addIfBelow(new Client(r.nextId(), "resp"), 2, null)).isTrue();
        assertThat(r.addIfBelow(new Client(r.nextId(), "resp"), 2, null)).isFalse();
        assertThat(r.size()).isEqualTo(2);
    }

    @Test
    void limitOfOneProtocolIgnoresTheOthers() {
        ClientRegistry r = new ClientRegistry();
        assertThat(r.addIfBelow(new Client(r.nextId(), "resp"), Integer.MAX_VALUE, null)).isTrue();
        assertThat(r.addIfBelow(new Client(r.nextId(), "resp"), Integer.MAX_VALUE, null)).isTrue();
        assertThat(r.addIfBelow(new Client(r.nextId(), "nats"), 1, "nats")).isTrue();
        assertThat(r.addIfBelow(new Client(r.nextId(), "nats"), 1, "nats")).isFalse();
        assertThat(r.count("nats")).isEqualTo(1);
    }

    @Test
    void removalMakesRoomAgain() {
        ClientRegistry r = new ClientRegistry();
        Client first = new Client(r.nextId(), "nats");
        assertThat(r.addIfBelow(first, 1, "nats")).isTrue();
        r.remove(first);
        assertThat(r.addIfBelow(new Client(r.nextId(), "nats"), 1, "nats")).isTrue();
    }

    @Test
    void concurrentRegistrationsNeverExceedTheLimit() throws Exception {
        int threads = 4;
        int max = 50;
        for (int round = 0; round < 200; round++) {
            ClientRegistry r = new ClientRegistry();
            AtomicInteger admitted = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < max; i++) {
                            if (r.addIfBelow(new Client(r.nextId(), "nats"), max, "nats")) {
                                admitted.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(admitted.get()).as("round %d", round).isEqualTo(max);
            assertThat(r.count("nats")).isEqualTo(max);
        }
    }
}
