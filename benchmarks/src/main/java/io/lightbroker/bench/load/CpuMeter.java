package io.lightbroker.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used during the measured phase, in cores (CPU seconds per wall second), by this generator
 * and, given its pid, by the server. Reported with every throughput result so a reader can tell
 * which side was saturated: a generator near 1.0 core while the server idles means the number
 * measures the generator, not the server.
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on every mainstream Linux build

    private final long serverPid;
    private final long wall0;
    private final long gen0;
    private final long server0;

    private CpuMeter(long serverPid) {
        this.serverPid = serverPid;
        this.wall0 = System.nanoTime();
        this.gen0 = generatorCpuNanos();
        this.server0 = serverCpuNanos(serverPid);
    }

    static CpuMeter start(long serverPid) {
        return new CpuMeter(serverPid);
    }

    void stopInto(Result r) {
        double wall = Math.max(1, System.nanoTime() - wall0);
        long gen1 = generatorCpuNanos();
        if (gen0 >= 0 && gen1 >= 0) {
            r.put("gen_cpu", (gen1 - gen0) / wall);
        }
        long server1 = serverCpuNanos(serverPid);
        if (server0 >= 0 && server1 >= 0) {
            r.put("server_cpu", (server1 - server0) / wall);
        }
    }

    private static long generatorCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /* utime + stime, fields 14 and 15 of /proc/<pid>/stat, counted after the ')' ending comm. */
    private static long serverCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
