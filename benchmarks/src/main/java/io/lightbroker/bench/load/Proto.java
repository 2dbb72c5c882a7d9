package io.lightbroker.bench.load;

/** The two wire protocols the load generator speaks. */
enum Proto {
    RESP(6379),
    NATS(4222);

    final int defaultPort;

    Proto(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    Wire wire() {
        return this == RESP ? RespWire.INSTANCE : NatsWire.INSTANCE;
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Proto parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "resp":
            case "redis":
                return RESP;
            case "nats":
                return NATS;
            default:
                throw new IllegalArgumentException("expected resp or nats, got '" + s + "'");
        }
    }
}
