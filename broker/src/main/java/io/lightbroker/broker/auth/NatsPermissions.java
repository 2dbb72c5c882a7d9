package io.lightbroker.broker.auth;

import io.lightbroker.nats.NatsSubjects;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One NATS user's publish and subscribe permissions, as nats-server 2.9 applies them: a subject is
 * allowed when the allow list is absent or one of its filters matches it, and no deny filter
 * matches it. The subject being checked is taken literally, so a SUB to {@code foo.*} passes an
 * allow filter {@code foo.*} or {@code foo.>} but not {@code foo.bar} (nats-server matches the SUB
 * subject against its permission sublist token by token).
 *
 * <p>A wildcard subscription can still overlap a deny filter ({@code SUB foo.*} with deny
 * {@code foo.bad}); nats-server then drops, at delivery, every message whose subject a deny filter
 * matches. {@link #deliverable} is that check. Immutable; read from any thread.
 */
public final class NatsPermissions {
    public static final NatsPermissions ALL = new NatsPermissions(null, List.of(), null, List.of(), null);

    /**
     * nats-server's {@code allow_responses}: after a message with a reply subject is delivered to
     * the user, it may publish to that reply subject up to {@code max} times within
     * {@code expiresMillis} (0: no expiry), even where its publish permissions say no.
     */
    public record Responses(int max, long expiresMillis) {
        /** nats-server's defaults for {@code allow_responses: true}: one response within two minutes. */
        public static final Responses DEFAULT = new Responses(1, 120_000);
    }

    private final byte[][] pubAllow;
    private final byte[][] pubDeny;
    private final byte[][] subAllow;
    private final byte[][] subDeny;
    private final Responses responses;

    /** A null allow list allows everything; deny lists may be empty; {@code responses} null when not allowed. */
    public NatsPermissions(List<String> pubAllow, List<String> pubDeny, List<String> subAllow, List<String> subDeny,
                           Responses responses) {
        this.responses = responses;
        // As nats-server: allowing responses without publish rules means publishing nothing else.
        if (responses != null && pubAllow == null) {
            pubAllow = List.of();
        }
        this.pubAllow = bytes(pubAllow);
        this.pubDeny = bytes(pubDeny);
        this.subAllow = bytes(subAllow);
        this.subDeny = bytes(subDeny);
    }

    /** The response allowance, or null. */
    public Responses responses() {
        return responses;
    }

    public boolean canPublish(ByteBuf subject, int index, int length) {
        return allowed(pubAllow, pubDeny, subject, index, length);
    }

    public boolean canSubscribe(ByteBuf subject, int index, int length) {
        return allowed(subAllow, subDeny, subject, index, length);
    }

    /** Whether any delivery may be filtered: only when there are subscribe deny filters. */
    public boolean filtersDeliveries() {
        return subDeny.length > 0;
    }

    /** A message on this subject may reach this user's subscriptions (no subscribe deny filter matches it). */
    public boolean deliverable(ByteBuf subject, int index, int length) {
        return !anyMatch(subDeny, subject, index, length);
    }

    private static boolean allowed(byte[][] allow, byte[][] deny, ByteBuf subject, int index, int length) {
        if (allow != null && !anyMatch(allow, subject, index, length)) {
            return false;
        }
        return !anyMatch(deny, subject, index, length);
    }

    private static boolean anyMatch(byte[][] filters, ByteBuf subject, int index, int length) {
        for (byte[] f : filters) {
            if (NatsSubjects.matches(f, subject, index, length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] bytes(List<String> list) {
        if (list == null) {
            return null;
        }
        byte[][] out = new byte[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
