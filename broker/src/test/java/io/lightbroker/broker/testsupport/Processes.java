package io.lightbroker.broker.testsupport;

import java.util.concurrent.TimeUnit;

/** Stopping the real servers the tests start. */
final class Processes {
    private Processes() {}

    /** SIGTERM, up to 5 s to exit, then SIGKILL; returns when the process is gone (or after 10 s). */
    static void terminate(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
