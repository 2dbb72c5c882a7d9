package io.lightbroker.broker.testsupport;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every
 * broker test class by JUnit's extension auto-detection (junit-platform.properties and
 * META-INF/services), so no test has to remember it.
 *
 * <p>Auto-detected extensions are registered before any other, so this one's {@code afterAll}
 * runs last, once the class's brokers are closed and their buffers could be collected. A leak the
 * collector finds only later is reported by the next class; the message says so. The check costs
 * two collections per class (tens of milliseconds).
 */
public final class FailOnNettyLeaks implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!RecordingLeakDetector.installed()) {
            // Without it leaks are only logged, and this check would pass whatever happened.
            throw new IllegalStateException("Netty is not using " + RecordingLeakDetector.class.getName()
                    + "; run with -Dio.netty.customResourceLeakDetector=" + RecordingLeakDetector.class.getName()
                    + " (broker/pom.xml sets it for surefire)");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getRequiredTestClass().getName());
    }

    /** Throws when Netty reports any leak not yet claimed; {@code testClass} only names the suspect. */
    static void check(String testClass) {
        check(testClass, leak -> true);
    }

    /** As {@link #check(String)}, for the leaks that match only (the self-test plants its own). */
    static void check(String testClass, Predicate<RecordingLeakDetector.Leak> which) {
        RecordingLeakDetector.surfaceDroppedBuffers();
        List<RecordingLeakDetector.Leak> leaks = RecordingLeakDetector.take(which);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported after " + testClass
                    + " (or a class that ran before it, if the collector found the buffer late):\n"
                    + leaks.stream().map(RecordingLeakDetector.Leak::toString).collect(Collectors.joining("\n\n")));
        }
    }
}
