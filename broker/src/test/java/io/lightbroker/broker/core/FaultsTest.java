package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static boolean drop(Faults f, String subject) {
        ByteBuf b = Unpooled.copiedBuffer(subject, StandardCharsets.UTF_8);
        try {
            return f.active() && f.dropPublish(b, 0, b.readableBytes());
        } finally {
            b.release();
        }
    }

    @Test
    void inactiveUntilARuleIsArmedAndAgainOnceItIsUsedUp() {
        Faults f = new Faults();
        assertThat(f.active()).isFalse();
        f.dropNext("orders.*".getBytes(StandardCharsets.UTF_8), 2);
        assertThat(f.active()).isTrue();
        assertThat(drop(f, "other")).isFalse();
        assertThat(drop(f, "orders.a.b")).isFalse();
        assertThat(drop(f, "orders.a")).isTrue();
        assertThat(drop(f, "orders.b")).isTrue();
        assertThat(f.active()).isFalse();
        assertThat(drop(f, "orders.c")).isFalse();
        assertThat(f.dropped()).isEqualTo(2);
    }

    @Test
    void aRespChannelThatIsNoNatsSubjectMatchesOnlyItsLiteral() {
        Faults f = new Faults();
        f.dropNext("news flash".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(drop(f, "news")).isFalse();
        assertThat(drop(f, "news flash")).isTrue();
    }

    @Test
    void dropsExactlyNWhenManyThreadsPublish() throws Exception {
        Faults f = new Faults();
        f.dropNext("t".getBytes(StandardCharsets.UTF_8), 1000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    int n = 0;
                    for (int i = 0; i < 1000; i++) {
                        if (drop(f, "t")) {
                            n++;
                        }
                    }
                    return n;
                });
            }
            int total = 0;
            for (Future<Integer> r : pool.invokeAll(tasks)) {
                total += r.get();
            }
            assertThat(total).isEqualTo(1000);
            assertThat(f.active()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clearDisarmsEverything() {
        Faults f = new Faults();
        f.dropNext("a".getBytes(StandardCharsets.UTF_8), 5);
        f.clearDrops();
        assertThat(f.active()).isFalse();
        assertThat(drop(f, "a")).isFalse();
    }
}
