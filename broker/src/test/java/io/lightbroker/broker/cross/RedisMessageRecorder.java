package io.lightbroker.broker.cross;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Lettuce pub/sub listener that records each message as a short string, in arrival order. */
final class RedisMessageRecorder extends RedisPubSubAdapter<String, String> {

    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void message(String channel, String message) {
        messages.add("message " + channel + " " + message);
    }

    @Override
    public void message(String pattern, String channel, String message) {
        messages.add("pmessage " + pattern + " " + channel + " " + message);
    }
}
