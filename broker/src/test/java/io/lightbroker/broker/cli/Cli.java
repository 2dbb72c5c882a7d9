package io.lightbroker.broker.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs launcher commands in-process and captures what they print. */
final class Cli {
    private Cli() {}

    record Result(int code, String out, String err) {}

    /** A command running on its own thread (a {@code sub} waiting for messages). */
    static final class Running {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Integer> code;

        private Running(Map<String, String> env, String... args) {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            code = new CompletableFuture<>();
            // A thread of its own: a sub blocks until its broker closes, which could starve a shared pool.
            Thread t = new Thread(() -> code.complete(Launcher.run(args, env, o, e)), "cli-" + args[0]);
            t.setDaemon(true);
            t.start();
        }

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        /** Waits until standard error contains {@code text} (a sub's "subscribed" line). */
        Running awaitErr(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!err().contains(text)) {
                if (code.isDone()) {
                    throw new AssertionError("exited " + code.join() + " before printing '" + text + "': " + err());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text + "' within " + timeout + "; stderr: " + err());
                }
                Thread.sleep(10);
            }
            return this;
        }

        int exitCode(Duration timeout) throws Exception {
            return code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Launcher.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Running start(String... args) {
        return new Running(Map.of(), args);
    }

    static Running start(Map<String, String> env, String... args) {
        return new Running(env, args);
    }
}
