package io.lightbroker.broker.core;

/**
 * All subscriptions to one RESP glob pattern. Immutable: a change of membership publishes a
 * new group. Every member receives the same {@code pmessage} frame, so the frame is encoded
 * once per group.
 */
public final class PatternGroup {
    public final byte[] pattern;
    public final Subscription[] subs;

    PatternGroup(byte[] pattern, Subscription[] subs) {
        this.pattern = pattern;
        this.subs = subs;
    }
}
