package io.lightbroker.broker.testsupport;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lettuce pub/sub listener that records every event as a short string, in arrival order. */
public final class RecordingListener extends RedisPubSubAdapter<String, String> {

    public final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void message(String channel, String message) {
        events.add("message " + channel + " " + message);
    }

    @Override
    public void message(String pattern, String channel, String message) {
        events.add("pmessage " + pattern + " " + channel + " " + message);
    }

    @Override
    public void smessage(String shardChannel, String message) {
        events.add("smessage " + shardChannel + " " + message);
    }

    @Override
    public void subscribed(String channel, long count) {
        events.add("subscribe " + channel + " " + count);
    }

    @Override
    public void psubscribed(String pattern, long count) {
        events.add("psubscribe " + pattern + " " + count);
    }

    @Override
    public void ssubscribed(String channel, long count) {
        events.add("ssubscribe " + channel + " " + count);
    }

    @Override
    public void unsubscribed(String channel, long count) {
        events.add("unsubscribe " + channel + " " + count);
    }

    /** The message, pmessage and smessage events, in arrival order. */
    public List<String> messages() {
        return events.stream().filter(e -> e.startsWith("message ") || e.startsWith("pmessage ") || e.startsWith("smessage ")).toList();
    }
}
