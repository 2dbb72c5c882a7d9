package io.lightbroker.broker.server;

import io.lightbroker.broker.Version;
import io.lightbroker.broker.admin.LogSetup;
import io.lightbroker.broker.config.CommandLine;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import io.lightbroker.broker.config.ConfigReference;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lightbroker [options]}: resolves the configuration ({@link CommandLine}), starts the
 * broker, and on SIGTERM or SIGINT (or {@code POST /drain} on the admin port) drains it
 * ({@link LightBroker#drain()}) and exits 0. Exit status 2 for bad usage or configuration.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        serverDefaults();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * JVM-wide defaults for the standalone server, set before Netty's buffer classes load unless
     * the user set them: Netty re-checks a buffer's reference count on every byte access
     * ({@code io.netty.buffer.checkAccessible}), which the profile of a 1-to-1 fan-out showed as the
     * largest single cost of the publish path. Bounds checks stay on. Netty's leak detector
     * ({@code io.netty.leakDetection.level}) is off as well: even sampling one buffer in 128, it
     * hands the parsers a wrapper now and then, so their byte loops run through a polymorphic call
     * (the wrapper's {@code getByte} was the top frame of the 1-to-1 profile; disabling it took
     * RESP 1-to-1 16 B from 1.4-1.7 M to 2.2-2.6 M msgs/s, server pinned). Tests run the detector at
     * PARANOID and embedded use keeps Netty's defaults, so leaks and use-after-release are still
     * caught there.
     */
    public static void serverDefaults() {
        if (System.getProperty("io.netty.buffer.checkAccessible") == null) {
            System.setProperty("io.netty.buffer.checkAccessible", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** What {@code main} does with the given environment; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args, env);
        } catch (ConfigException e) {
            err.println("lightbroker: " + e.getMessage());
            return 2;
        }
        switch (parsed.action()) {
            case HELP -> {
                ConfigReference.usage(out);
                return 0;
            }
            case HELP_CONFIG -> {
                out.print(ConfigReference.markdown());
                return 0;
            }
            case VERSION -> {
                out.println("lightbroker " + Version.VERSION);
                return 0;
            }
            default -> { }
        }
        Config config = parsed.config();
        LogSetup.apply(config);
        Logger log = LoggerFactory.getLogger(Main.class);
        LightBroker broker;
        try {
            broker = LightBroker.start(config);
        } catch (ConfigException e) {
            // Found only on start, such as a TLS certificate that cannot be read.
            log.error("{}", e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            log.error("{}", e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        broker.drained().whenComplete((ok, failure) -> stop.countDown());
        Runnable shutdown = broker::drain;
        if (!Signals.onTermination(shutdown)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> broker.drain().join(), "lightbroker-shutdown"));
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
