package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.server.LightBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Starting and closing brokers leaves nothing behind: no thread, no file descriptor, no bound
 * port. Isolated, because it counts the JVM's threads and descriptors.
 */
@Isolated
class StartStopTest {
    private static final int BROKERS = 200;

    @Test
    void twoHundredBrokersStartAndStopWithoutLeakingThreadsDescriptorsOrPorts() throws Exception {
        cycle(LightBrokerExtension.defaults()); // warm up: class loading, Netty's static state
        settle();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        int fdsBefore = openDescriptors();

        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < BROKERS; i++) {
            ports.addAll(cycle(LightBrokerExtension.defaults()));
        }

        assertThat(liveBrokerThreads()).as("lightbroker threads still alive").isEmpty();
        for (int port : ports) {
            assertThat(canBind(port)).as("port %d free again", port).isTrue();
        }
        // Netty's GlobalEventExecutor thread (channel groups) lingers about a second after its last task.
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(newThreads(threadsBefore)).isEmpty();
            assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore);
        });
    }

    @Test
    void brokersWithClientsAndLocalSubscribersCloseCleanly() throws Exception {
        cycleWithTraffic();
        settle();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        int fdsBefore = openDescriptors();
        for (int i = 0; i < 20; i++) {
            cycleWithTraffic();
        }
        assertThat(liveBrokerThreads()).isEmpty();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(openDescriptors()).isLessThanOrEqualTo(fdsBefore);
            assertThat(newThreads(threadsBefore)).isEmpty();
        });
    }

    private static List<Integer> cycle(LightBroker.Builder builder) {
        try (LightBroker b = builder.start()) {
            return List.of(b.respPort(), b.natsPort());
        }
    }

    private static void cycleWithTraffic() throws Exception {
        try (LightBroker b = LightBrokerExtension.defaults().start()) {
            var capture = b.captured("t.>");
            b.subscribe("t.*", m -> { });
            try (Connection nc = Nats.connect(b.natsUrl())) {
                nc.publish("t.1", new byte[10]);
                nc.flush(Duration.ofSeconds(5));
                capture.awaitCount(1, Duration.ofSeconds(5));
            }
        }
    }

    private static void settle() throws InterruptedException {
        // Let threads that end after an idle timeout (GlobalEventExecutor, 1 s) end first.
        Thread.sleep(1500);
    }

    private static List<String> liveBrokerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("lightbroker-"))
                .collect(Collectors.toList());
    }

    /**
     * Live threads that were not there before, except JUnit's own parallel-execution workers
     * ({@code ForkJoinPool-N-worker-M}), which come and go as JUnit pleases.
     */
    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool-"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
