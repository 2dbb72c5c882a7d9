package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JSON lines written by {@code compare.sh} into a markdown table: for each case and
 * headline metric, the median over repetitions with the min-max spread per server, and the ratios
 * lightbroker / nats-server and lightbroker / redis-server.
 *
 * <p>Usage: {@code java -cp loadgen.jar io.lightbroker.bench.load.Report results.jsonl}
 */
public final class Report {
    static final String NATS = "nats-server";
    static final String REDIS = "redis-server";
    static final String LB_NATS = "lightbroker-nats";
    static final String LB_RESP = "lightbroker-resp";
    static final String LB_CROSS = "lightbroker-cross";
    private static final List<String> TARGETS = List.of(NATS, REDIS, LB_NATS, LB_RESP, LB_CROSS);

    /** Headline metrics per scenario: JSON key, label, true if higher is better. */
    private record Metric(String key, String label, boolean higherBetter) {
    }

    /** Not a number but two: median CPU cores of the server and of the generator, "1.01 / 0.35". */
    private static final Metric CPU = new Metric("cpu", "CPU cores server / generator", false);

    private static final Map<String, List<Metric>> METRICS = Map.of(
            "fanout", List.of(new Metric("delivered_rate", "delivered msgs/s", true), CPU),
            "cross", List.of(new Metric("delivered_rate", "delivered msgs/s", true), CPU),
            "zero-subs", List.of(new Metric("pub_rate", "published msgs/s", true), CPU),
            "wildcards", List.of(new Metric("pub_rate", "published msgs/s", true), CPU),
            "latency", List.of(new Metric("p50_us", "p50 µs", false), new Metric("p99_us", "p99 µs", false),
                    new Metric("p999_us", "p99.9 µs", false),
                    new Metric("p99_unstalled_us", "p99 µs, samples no generator stall delayed", false),
                    new Metric("gen_stall_ms", "generator off its core, ms", false)),
            "connections", List.of(new Metric("mem_per_conn_b", "server bytes/conn (RSS; JVM: live heap)", false),
                    new Metric("fanout_ms", "one fan-out to all, ms", false)));

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Report RESULTS.jsonl");
            System.exit(2);
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]))));
    }

    static String render(List<String> lines) {
        // case -> target -> runs
        Map<String, Map<String, List<Map<String, Object>>>> byCase = new LinkedHashMap<>();
        Map<String, String> scenarioOf = new LinkedHashMap<>();
        for (String line : lines) {
            line = line.trim();
            if (!line.startsWith("{")) {
                continue;
            }
            Map<String, Object> m = parseFlatJson(line);
            String c = str(m.get("case"));
            String t = str(m.get("target"));
            byCase.computeIfAbsent(c, k -> new LinkedHashMap<>()).computeIfAbsent(t, k -> new ArrayList<>()).add(m);
            if (m.get("scenario") != null) {
                scenarioOf.putIfAbsent(c, str(m.get("scenario")));
            }
        }
        List<String> present = new ArrayList<>();
        for (String t : TARGETS) {
            if (byCase.values().stream().anyMatch(x -> x.containsKey(t))) {
                present.add(t);
            }
        }
        boolean lbNats = present.contains(LB_NATS) && present.contains(NATS);
        boolean lbResp = present.contains(LB_RESP) && present.contains(REDIS);

        StringBuilder sb = new StringBuilder();
        sb.append("| case | metric |");
        for (String t : present) {
            sb.append(' ').append(t).append(" |");
        }
        if (lbNats) {
            sb.append(" lightbroker / nats-server |");
        }
        if (lbResp) {
            sb.append(" lightbroker / redis-server |");
        }
        sb.append('\n').append("|---|---|");
        for (int i = 0; i < present.size() + (lbNats ? 1 : 0) + (lbResp ? 1 : 0); i++) {
            sb.append("---:|");
        }
        sb.append('\n');
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Map<String, Object>>>> e : byCase.entrySet()) {
            List<Metric> metrics = METRICS.getOrDefault(scenarioOf.get(e.getKey()), List.of());
            for (Metric metric : metrics) {
                sb.append("| ").append(e.getKey()).append(" | ").append(metric.label()).append(" |");
                Map<String, Double> medians = new LinkedHashMap<>();
                for (String t : present) {
                    List<Map<String, Object>> runs = e.getValue().getOrDefault(t, List.of());
                    sb.append(' ').append(cell(runs, metric, medians, t, e.getKey(), notes)).append(" |");
                }
                if (lbNats) {
                    sb.append(' ').append(metric == CPU ? "" : ratio(medians.get(LB_NATS), medians.get(NATS))).append(" |");
                }
                if (lbResp) {
                    sb.append(' ').append(metric == CPU ? "" : ratio(medians.get(LB_RESP), medians.get(REDIS))).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("\nEach cell: median of the repetitions (min–max). Rates are messages per second;"
                + " for latency, memory and fan-out time lower is better. A ratio above 1 means lightbroker's"
                + " number is larger. CPU rows: cores used during the measured phase by the server and by the"
                + " load generator (CPU seconds per wall second); a generator near its core count while the"
                + " server has room would mean the generator, not the server, was measured.\n");
        for (String n : new java.util.LinkedHashSet<>(notes)) {
            sb.append("\n- ").append(n);
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(List<Map<String, Object>> runs, Metric metric, Map<String, Double> medians,
            String target, String caseName, List<String> notes) {
        if (metric == CPU) {
            return cpuCell(runs);
        }
        List<Double> values = new ArrayList<>();
        long loss = 0;
        int errors = 0;
        for (Map<String, Object> r : runs) {
            if (r.get("error") != null) {
                errors++;
                notes.add("! " + caseName + " on " + target + ": " + r.get("error"));
                continue;
            }
            Object v = r.get(metric.key());
            if (v instanceof Double) {
                values.add((Double) v);
            }
            if (r.get("loss") instanceof Double) {
                loss += ((Double) r.get("loss")).longValue();
            }
            if (r.get("ooo") instanceof Double && (Double) r.get("ooo") > 0) {
                notes.add("! " + caseName + " on " + target + ": out-of-order deliveries seen");
            }
        }
        if (loss > 0) {
            notes.add("! " + caseName + " on " + target + ": " + loss + " messages lost over all runs");
        }
        if (values.isEmpty()) {
            return errors > 0 ? "error" : "–";
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double med = median(v);
        medians.put(target, med);
        String s = fmt(med) + (v.length > 1 ? " (" + fmt(v[0]) + "–" + fmt(v[v.length - 1]) + ")" : "");
        return loss > 0 || errors > 0 ? s + " !" : s;
    }

    private static String cpuCell(List<Map<String, Object>> runs) {
        double[] server = runs.stream().map(r -> r.get("server_cpu")).filter(Double.class::isInstance)
                .mapToDouble(v -> (Double) v).sorted().toArray();
        double[] gen = runs.stream().map(r -> r.get("gen_cpu")).filter(Double.class::isInstance)
                .mapToDouble(v -> (Double) v).sorted().toArray();
        if (gen.length == 0) {
            return "–";
        }
        return (server.length == 0 ? "?" : String.format(Locale.ROOT, "%.2f", median(server)))
                + " / " + String.format(Locale.ROOT, "%.2f", median(gen));
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String ratio(Double a, Double b) {
        if (a == null || b == null || b == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    static String fmt(double d) {
        if (d >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", d / 1e6);
        }
        if (d >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", d / 1e3);
        }
        if (d >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** Parses one flat JSON object of strings, numbers (as Double), booleans and nulls. */
    static Map<String, Object> parseFlatJson(String s) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] pos = {s.indexOf('{') + 1};
        while (true) {
            skipWs(s, pos);
            if (pos[0] >= s.length() || s.charAt(pos[0]) == '}') {
                return m;
            }
            if (s.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            String key = readString(s, pos);
            skipWs(s, pos);
            pos[0]++; // ':'
            skipWs(s, pos);
            char c = s.charAt(pos[0]);
            Object value;
            if (c == '"') {
                value = readString(s, pos);
            } else {
                int start = pos[0];
                while (pos[0] < s.length() && ",} ".indexOf(s.charAt(pos[0])) < 0) {
                    pos[0]++;
                }
                String tok = s.substring(start, pos[0]);
                value = tok.equals("null") ? null
                        : tok.equals("true") || tok.equals("false") ? Boolean.valueOf(tok) : Double.valueOf(tok);
            }
            m.put(key, value);
        }
    }

    private static void skipWs(String s, int[] pos) {
        while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String readString(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        pos[0]++; // opening quote
        while (true) {
            char c = s.charAt(pos[0]++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = s.charAt(pos[0]++);
                if (e == 'u') {
                    sb.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
                    pos[0] += 4;
                } else {
                    sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                }
            } else {
                sb.append(c);
            }
        }
    }

}
