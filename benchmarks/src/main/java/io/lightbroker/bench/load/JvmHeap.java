package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a Java server process, for the connections scenario.
 *
 * <p>A JVM's resident set says little about what a connection costs: the heap is reserved up
 * front and its pages are touched by allocation whether or not anything stays alive, so RSS
 * hardly moves for thousands of connections (or moves by whatever the collector last did). What a
 * connection really retains is heap: this forces a full collection ({@code jcmd PID GC.run}) and
 * sums the used space of every generation ({@code jcmd PID GC.heap_info}). Idle connections
 * hold no pooled direct buffers in lightbroker (read buffers are released after each read, the
 * outbound buffer after each flush), so the heap is the whole per-connection cost there.
 */
final class JvmHeap {
    /** {@code def new generation   total 4928K, used 347K [...]}, {@code garbage-first heap   total 258048K, used 3286K}. */
    private static final Pattern USED = Pattern.compile("^\\s*\\S.*?\\s+total \\d+K, used (\\d+)K", Pattern.MULTILINE);

    private JvmHeap() {
    }

    /** True if the process runs a JVM (its command line starts with a java executable). */
    static boolean isJvm(long pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            byte[] cmd = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            int end = 0;
            while (end < cmd.length && cmd[end] != 0) {
                end++;
            }
            String exe = new String(cmd, 0, end, StandardCharsets.UTF_8);
            return exe.equals("java") || exe.endsWith("/java");
        } catch (IOException e) {
            return false;
        }
    }

    /** Heap used right after a full collection, in KiB; -1 when it cannot be read. */
    static long liveKb(long pid) {
        run(pid, "GC.run");
        Matcher m = USED.matcher(run(pid, "GC.heap_info"));
        long kb = 0;
        boolean any = false;
        while (m.find()) {
            kb += Long.parseLong(m.group(1));
            any = true;
        }
        return any ? kb : -1;
    }

    /**
     * {@link #liveKb} once it stops falling: read again after a pause while it dropped by more
     * than 1 %, at most five times. Connections that an earlier run closed are released as the
     * server processes their closes; reading too early charged them to the next measurement
     * (the NATS connections run right after the RESP one once came out negative).
     */
    static long settledLiveKb(long pid) {
        long kb = liveKb(pid);
        for (int i = 0; i < 5 && kb > 0; i++) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return kb;
            }
            long again = liveKb(pid);
            if (again < 0) {
                return kb;
            }
            if (again >= kb - kb / 100) {
                return Math.min(kb, again);
            }
            kb = again;
        }
        return kb;
    }

    private static String run(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
