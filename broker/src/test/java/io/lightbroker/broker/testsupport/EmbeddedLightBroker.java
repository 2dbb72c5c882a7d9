package io.lightbroker.broker.testsupport;

import io.lightbroker.broker.Version;
import io.lightbroker.broker.server.LightBroker;
import java.util.List;

/**
 * An embedded lightbroker as a {@link RespTarget}, configured from redis-server style arguments so
 * that one {@code server:} line in a conversation drives both servers: {@code --requirepass x}
 * becomes {@code requirePass("x")} and any other {@code --name value} becomes
 * {@code setting("name", "value")}.
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
        for (int i = 0; i < redisStyleArgs.size(); i++) {
            String arg = redisStyleArgs.get(i);
            if (!arg.startsWith("--") || i + 1 >= redisStyleArgs.size()) {
                throw new IllegalArgumentException("expected '--name value' pairs, got " + redisStyleArgs);
            }
            String name = arg.substring(2);
            String value = redisStyleArgs.get(++i);
            if (name.equals("requirepass")) {
                builder.requirePass(value);
            } else {
                builder.setting(name, value);
            }
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
