package io.lightbroker.junit;

import io.lightbroker.broker.server.LightBroker;
import java.util.Arrays;

/**
 * Embedded start-up time without JMH: starts and closes a broker (RESP and NATS on free ports,
 * the extension's defaults) {@code N} times in one JVM and prints the median and percentiles
 * of start alone and of start plus close. The first run, which loads the classes, is reported
 * apart. Prints, never asserts: timings depend on the machine.
 *
 * <p>Run it with {@code StartupTimeTest}, or as a main with the test classpath.
 */
public final class StartupTime {
    private StartupTime() {}

    public static void main(String[] args) {
        System.out.println(measure(args.length > 0 ? Integer.parseInt(args[0]) : 100));
    }

    static String measure(int runs) {
        long firstStart = System.nanoTime();
        LightBrokerExtension.defaults().start().close();
        long first = System.nanoTime() - firstStart;
        long[] start = new long[runs];
        long[] cycle = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            LightBroker b = LightBrokerExtension.defaults().start();
            long t1 = System.nanoTime();
            b.close();
            long t2 = System.nanoTime();
            start[i] = t1 - t0;
            cycle[i] = t2 - t0;
        }
        Arrays.sort(start);
        Arrays.sort(cycle);
        return String.format("embedded broker, %d runs after a cold first run of %.1f ms:%n"
                        + "  start          median %.2f ms, p90 %.2f ms, max %.2f ms%n"
                        + "  start + close  median %.2f ms, p90 %.2f ms, max %.2f ms",
                runs, first / 1e6,
                ms(start, 0.5), ms(start, 0.9), start[runs - 1] / 1e6,
                ms(cycle, 0.5), ms(cycle, 0.9), cycle[runs - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
