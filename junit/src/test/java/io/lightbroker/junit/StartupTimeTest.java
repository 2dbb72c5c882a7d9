package io.lightbroker.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Prints the embedded start-up time ({@link StartupTime}); no assertion, timings vary by machine. */
@Isolated
class StartupTimeTest {
    @Test
    void printStartupTimes() {
        String report = StartupTime.measure(100);
        System.out.println(report);
        System.err.println(report);
    }
}
