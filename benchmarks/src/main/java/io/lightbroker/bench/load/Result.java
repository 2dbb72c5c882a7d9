package io.lightbroker.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario result: ordered key/value pairs printed as one human-readable line and, with
 * {@code --json}, one flat JSON object per line (the format {@link Report} reads back).
 */
final class Result {
    final Map<String, Object> fields = new LinkedHashMap<>();

    Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    /** {@code fanout proto=nats pubs=1 ... loss=0 ooo=0}; the first field's value leads. */
    String human() {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (first) {
                sb.append(e.getValue());
                first = false;
                continue;
            }
            Object v = e.getValue();
            if (v == null || (v instanceof String && ((String) v).isEmpty())) {
                continue;
            }
            sb.append(' ').append(humanKey(e.getKey())).append('=').append(humanValue(e.getKey(), v));
        }
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static String humanKey(String k) {
        return k.equals("mb_s") ? "MB/s" : k;
    }

    private static String humanValue(String k, Object v) {
        if (v instanceof Double) {
            double d = (Double) v;
            if (k.endsWith("_rate")) {
                return si(d) + "/s";
            }
            return String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.2f", d);
        }
        return v.toString();
    }

    static String si(double d) {
        if (d >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", d / 1e6);
        }
        if (d >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", d / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", d);
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
