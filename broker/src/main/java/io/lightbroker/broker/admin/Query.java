package io.lightbroker.broker.admin;

import java.util.List;
import java.util.Map;

/** Query parameters with nats-server's parsing rules and error texts ({@code decodeInt}, {@code decodeBool}). */
record Query(Map<String, List<String>> params) {

    String string(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    int integer(String name) {
        String v = string(name);
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("Error decoding int for '" + name + "': invalid syntax");
        }
    }

    long unsigned(String name) {
        String v = string(name);
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("Error decoding uint64 for '" + name + "': invalid syntax");
        }
    }

    /** Go's {@code strconv.ParseBool}: 1, t, T, TRUE, true, True and their false forms. */
    boolean bool(String name) {
        String v = string(name);
        return switch (v) {
            case "" , "0", "f", "F", "FALSE", "false", "False" -> false;
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            default -> throw new BadRequest("Error decoding boolean for '" + name + "': invalid syntax");
        };
    }
}
