package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident set size from {@code /proc/<pid>/status} (Linux only). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** VmRSS in KiB, or -1 if the pid is 0, gone, or this is not Linux. */
    static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String v = line.substring(6).trim();
                    int sp = v.indexOf(' ');
                    return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average: other work on a shared machine skews every number. */
    static Double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"));
            return Double.valueOf(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
