package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RespCommand.NO_AUTH;

import io.lightbroker.broker.auth.RespUser;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespErrors;

/**
 * Redis 7.0's ACL check ({@code ACLCheckAllPerm}) for an authenticated user, run before the
 * command as Redis runs it in {@code processCommand}: after the authentication check, before the
 * RESP2 subscribed-context check. A refused command does nothing at all (a SUBSCRIBE with one
 * forbidden channel subscribes to none of them).
 *
 * <p>Commands that need no authentication (AUTH, HELLO, QUIT, RESET) are never refused. Channel
 * arguments: PUBLISH and SPUBLISH the first, SUBSCRIBE and SSUBSCRIBE every one, matched against the
 * user's {@code &} patterns; PSUBSCRIBE's patterns must equal one of them literally. The
 * unsubscribe family and PUBSUB are not channel-checked, as in Redis.
 */
final class RespAclCheck {
    private RespAclCheck() {}

    /** Null when allowed, else the error to send. */
    static String check(RespUser u, RespCommand c, RespArgs a) {
        if ((c.flags & NO_AUTH) != 0) {
            return null;
        }
        if (!u.allCommands()) {
            return RespErrors.nopermCommand(c.fullName);
        }
        if (u.allChannels()) {
            return null;
        }
        switch (c.fullName) {
            case "publish", "spublish" -> {
                return u.canUseChannel(a.buffer(1), a.offset(1), a.length(1)) ? null : RespErrors.NOPERM_CHANNEL;
            }
            case "subscribe", "ssubscribe" -> {
                for (int i = 1; i < a.count(); i++) {
                    if (!u.canUseChannel(a.buffer(i), a.offset(i), a.length(i))) {
                        return RespErrors.NOPERM_CHANNEL;
                    }
                }
                return null;
            }
            case "psubscribe" -> {
                for (int i = 1; i < a.count(); i++) {
                    if (!u.canUsePattern(a.bytes(i))) {
                        return RespErrors.NOPERM_CHANNEL;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
