package io.lightbroker.broker.server;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM/SIGINT handling that lets the process exit 0 after a graceful stop (a JVM shutdown
 * hook alone exits 143). A second signal during the drain exits at once.
 */
final class Signals {
    private Signals() {}

    static boolean onTermination(Runnable graceful) {
        try {
            AtomicBoolean first = new AtomicBoolean(true);
            sun.misc.SignalHandler handler = sig -> {
                if (first.getAndSet(false)) {
                    Thread t = new Thread(graceful, "lightbroker-shutdown");
                    t.start();
                } else {
                    Runtime.getRuntime().halt(1);
                }
            };
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            return true;
        } catch (Throwable unavailable) {
            return false;
        }
    }
}
