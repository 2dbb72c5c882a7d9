package io.lightbroker.broker.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.lightbroker.broker.Version;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lightbroker [options]}: parses flags over environment over defaults, starts the
 * broker, and on SIGTERM or SIGINT closes listeners, flushes what is queued and exits 0.
 * Exit status 2 for bad usage or configuration.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Config config;
        try {
            Config.Builder b = Config.builder().env(System.getenv());
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    usage(out);
                    return 0;
                }
                if (a.equals("--version") || a.equals("-v")) {
                    out.println("lightbroker " + Version.VERSION);
                    return 0;
                }
                if (!a.startsWith("--") || a.length() == 2) {
                    throw new ConfigException("unexpected argument '" + a + "' (see --help)");
                }
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new ConfigException("option --" + name + " needs a value (see --help)");
                }
                Setting<?> s = Settings.byName(name);
                if (s != null && s.sensitive()) {
                    throw new ConfigException("--" + name + " is a secret and is not accepted on the command line (it would show in process listings); use "
                            + s.envVar() + " or " + s.envVar() + "_FILE");
                }
                b.flag(name, value);
            }
            config = b.build();
        } catch (ConfigException e) {
            err.println("lightbroker: " + e.getMessage());
            return 2;
        }
        setLogLevel(config.get(Settings.LOG_LEVEL));
        Logger log = LoggerFactory.getLogger(Main.class);
        LightBroker broker;
        try {
            broker = LightBroker.start(config);
        } catch (IllegalStateException e) {
            log.error("{}", e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runnable shutdown = () -> {
            log.info("shutting down: closing listeners and flushing clients");
            broker.close();
            stop.countDown();
        };
        if (!Signals.onTermination(shutdown)) {
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "lightbroker-shutdown"));
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    static void usage(PrintStream out) {
        out.println("Usage: lightbroker [--option value | --option=value]...");
        out.println();
        out.println("A lightweight broker speaking Redis pub/sub (RESP) and NATS over one subject space.");
        out.println("Every option can also be set by its environment variable; flags win over the environment.");
        out.println("Secrets are read only from the environment or from a file named by VARIABLE_FILE.");
        out.println();
        out.println("  --help                 show this help and exit");
        out.println("  --version              show the version and exit");
        for (Setting<?> s : Settings.all()) {
            out.printf("  --%-36s %s%n", s.name() + " <" + s.type().name().toLowerCase() + ">", s.description());
            out.printf("    %-35s default: %s; env: %s%s%n", "", s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(), s.envVar(),
                    s.sensitive() ? " or " + s.envVar() + "_FILE (secret: not accepted as a flag)" : "");
        }
    }
}
