package io.lightbroker.broker.leaf;

import io.lightbroker.broker.core.Subscription;
import java.nio.charset.StandardCharsets;

/**
 * What a local subscription means to a NATS hub: the subject (and queue group) a leaf node
 * announces for it, or null when it stays local.
 *
 * <ul>
 *   <li>NATS and in-process subscriptions: their subject and queue group as they are.</li>
 *   <li>RESP channels: the channel as a literal subject, when it is a valid one (no empty token,
 *       no spaces or control characters, no {@code *} or {@code >} token, which NATS would read
 *       as wildcards); any other channel stays local.</li>
 *   <li>RESP patterns: the tightest NATS interest that covers the glob, because Redis's
 *       {@code *} crosses dots: the literal tokens before the first glob character followed by
 *       {@code >} ({@code orders.*} and {@code orders.eu.h?llo} become {@code orders.>} and
 *       {@code orders.eu.>}), a pattern without glob characters its literal subject, anything
 *       else {@code >}. Messages are filtered by the glob locally, so the hub may send more than
 *       the pattern takes, never less.</li>
 *   <li>RESP shard channels stay local (SPUBLISH has a namespace of its own), and the hub's own
 *       interest (leaf subscriptions) is never announced back.</li>
 * </ul>
 */
public final class InterestMapping {
    private InterestMapping() {}

    /** The interest key of {@code s}, or null when it is not announced. */
    public static Interest of(Subscription s) {
        return switch (s.kind) {
            case NATS, LOCAL -> new Interest(text(s.subject), s.queue == null ? null : text(s.queue));
            case RESP_CHANNEL -> validLiteral(s.subject) ? new Interest(text(s.subject), null) : null;
            case RESP_PATTERN -> new Interest(coveringSubject(s.subject), null);
            default -> null;
        };
    }

    /** The subject and queue group announced with LS+; queue is null for plain interest. */
    public record Interest(String subject, String queue) {}

    static String coveringSubject(byte[] glob) {
        int firstSpecial = -1;
        for (int i = 0; i < glob.length; i++) {
            byte b = glob[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                firstSpecial = i;
                break;
            }
        }
        if (firstSpecial < 0) {
            return validLiteral(glob) ? text(glob) : ">";
        }
        int lastDot = -1;
        for (int i = firstSpecial - 1; i >= 0; i--) {
            if (glob[i] == '.') {
                lastDot = i;
                break;
            }
        }
        if (lastDot <= 0) {
            return ">";
        }
        byte[] prefix = java.util.Arrays.copyOf(glob, lastDot);
        return validLiteral(prefix) ? text(prefix) + ".>" : ">";
    }

    static boolean validLiteral(byte[] subject) {
        if (subject.length == 0) {
            return false;
        }
        int tokenStart = 0;
        for (int i = 0; i <= subject.length; i++) {
            if (i == subject.length || subject[i] == '.') {
                int len = i - tokenStart;
                if (len == 0) {
                    return false;
                }
                if (len == 1 && (subject[tokenStart] == '*' || subject[tokenStart] == '>')) {
                    return false;
                }
                tokenStart = i + 1;
            } else if ((subject[i] & 0xff) <= ' ' || subject[i] == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
