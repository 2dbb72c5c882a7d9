package io.lightbroker.bench.load;

import java.util.concurrent.TimeUnit;

/**
 * {@code lightbroker bench}: the end-to-end load generator. Speaks raw RESP and NATS (no client
 * library, so none of a library's overhead hides the server's), runs one scenario, prints one
 * human-readable line and, with {@code --json}, one JSON line.
 *
 * <p>Exit status: 0 when the scenario ran (loss is reported, not fatal), 1 when it could not run
 * (connection refused, server error, timeout), 2 for bad usage.
 */
public final class LoadGen {
    static final String VERSION = "0.1.0";

    private LoadGen() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(Options.help());
            return;
        }
        if (o.version) {
            System.out.println("lightbroker loadgen " + VERSION);
            return;
        }
        startWatchdog(o.hardTimeoutNanos() + TimeUnit.SECONDS.toNanos(15));
        try {
            Result r = Scenarios.run(o);
            System.out.println(r.human());
            if (o.json) {
                System.out.println(r.json());
            }
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            Result r = new Result().put("scenario", o.scenario.label()).put("target", o.target)
                    .put("case", o.caseName).put("error", String.valueOf(e.getMessage()));
            System.out.println(r.human());
            if (o.json) {
                System.out.println(r.json());
            }
            System.err.println("loadgen: " + o.scenario.label() + " failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /* Last resort: every wait is already bounded, but a run must never hang a script. */
    private static void startWatchdog(long nanos) {
        Thread t = new Thread(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
                System.err.println("loadgen: hard timeout after " + nanos / 1_000_000_000 + "s; exiting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException ignored) {
                // exiting normally
            }
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }
}
