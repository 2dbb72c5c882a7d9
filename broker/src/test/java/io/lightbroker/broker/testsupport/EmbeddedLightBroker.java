package io.lightbroker.broker.testsupport;

import io.lightbroker.broker.Version;
import io.lightbroker.broker.server.LightBroker;
import java.util.List;

/**
 * An embedded lightbroker as a {@link RespTarget}, configured from redis-server style arguments so
 * that one {@code server:} line in a conversation drives both servers. The translation table:
 * {@code --requirepass x} is {@code requirePass("x")}; {@code --proto-max-bulk-len n} is
 * {@code resp-max-bulk-len}; {@code --client-output-buffer-limit pubsub H S T} is the three
 * {@code resp-output-buffer-*} settings; each {@code --user name rule ...} is a line of
 * {@code resp-users}; any other {@code --name value} is {@code setting(name, value)}.
 */
public final class EmbeddedLightBroker implements RespTarget {

    private final LightBroker broker;

    private EmbeddedLightBroker(LightBroker broker) {
        this.broker = broker;
    }

    public static EmbeddedLightBroker start(List<String> redisStyleArgs) {
        return startOnPort(0, redisStyleArgs);
    }

    /** Port 0 picks a free port; a fixed port lets a test restart the broker where clients reconnect. */
    public static EmbeddedLightBroker startOnPort(int port, List<String> redisStyleArgs) {
        LightBroker.Builder builder = LightBroker.builder().bind("127.0.0.1").respPort(port);
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < redisStyleArgs.size(); i++) {
            String arg = redisStyleArgs.get(i);
            if (!arg.startsWith("--") || i + 1 >= redisStyleArgs.size()) {
                throw new IllegalArgumentException("expected '--name value' pairs, got " + redisStyleArgs);
            }
            String name = arg.substring(2);
            switch (name) {
                case "requirepass" -> builder.requirePass(redisStyleArgs.get(++i));
                case "user" -> {
                    // Redis: --user <name> <rule> ... is one 'user' directive; every such line goes into resp-users.
                    users.append("user");
                    while (i + 1 < redisStyleArgs.size() && !redisStyleArgs.get(i + 1).startsWith("--")) {
                        users.append(' ').append(redisStyleArgs.get(++i));
                    }
                    users.append('\n');
                }
                case "proto-max-bulk-len" -> builder.setting("resp-max-bulk-len", redisStyleArgs.get(++i));
                case "client-output-buffer-limit" -> {
                    // Redis: --client-output-buffer-limit pubsub <hard> <soft> <soft-seconds>
                    if (i + 4 >= redisStyleArgs.size() || !redisStyleArgs.get(i + 1).equals("pubsub")) {
                        throw new IllegalArgumentException("only 'client-output-buffer-limit pubsub <hard> <soft> <seconds>' maps to lightbroker");
                    }
                    builder.setting("resp-output-buffer-hard-limit", redisStyleArgs.get(i + 2));
                    builder.setting("resp-output-buffer-soft-limit", redisStyleArgs.get(i + 3));
                    builder.setting("resp-output-buffer-soft-seconds", redisStyleArgs.get(i + 4) + "s");
                    i += 4;
                }
                default -> builder.setting(name, redisStyleArgs.get(++i));
            }
        }
        if (users.length() > 0) {
            builder.setting("resp-users", users.toString());
        }
        return new EmbeddedLightBroker(builder.start());
    }

    public static EmbeddedLightBroker start(String... redisStyleArgs) {
        return start(List.of(redisStyleArgs));
    }

    public LightBroker broker() {
        return broker;
    }

    @Override
    public String description() {
        return "lightbroker " + Version.VERSION + " on " + host() + ":" + port();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return broker.respPort();
    }

    @Override
    public void close() {
        broker.close();
    }
}
