package io.lightbroker.broker.auth;

import io.lightbroker.resp.RespGlob;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One Redis ACL user, reduced to what matters to a pub/sub server: enabled or not, its passwords
 * (stored as Redis stores them, SHA-256 hex), whether it may run commands at all, and which
 * channels it may use. Immutable; built by {@link RespAcl}.
 *
 * <p>Channel rules follow Redis 7.0's {@code ACLCheckChannelAgainstList}: a channel given to
 * SUBSCRIBE, SSUBSCRIBE, PUBLISH or SPUBLISH is allowed when one of the user's {@code &} patterns
 * glob-matches it; a pattern given to PSUBSCRIBE is allowed only when it is literally one of them
 * (so {@code &orders.*} allows {@code PSUBSCRIBE orders.*} but not {@code PSUBSCRIBE orders.?}).
 */
public final class RespUser {
    private final String name;
    private final boolean enabled;
    private final boolean nopass;
    private final Set<String> passwordHashes;
    private final boolean allCommands;
    private final boolean allChannels;
    private final byte[][] channels;

    RespUser(String name, boolean enabled, boolean nopass, Set<String> passwordHashes, boolean allCommands,
             boolean allChannels, List<byte[]> channels) {
        this.name = name;
        this.enabled = enabled;
        this.nopass = nopass;
        this.passwordHashes = Set.copyOf(passwordHashes);
        this.allCommands = allCommands;
        this.allChannels = allChannels;
        this.channels = channels.toArray(new byte[0][]);
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** A connection starts out authenticated as this user only if it is on and nopass (Redis's default user). */
    public boolean authenticatesWithoutPassword() {
        return enabled && nopass;
    }

    /** Redis's AUTH: the user must be on, and nopass or the password must be one of its passwords. */
    public boolean checkPassword(String password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        byte[] given = sha256Hex(password).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String h : passwordHashes) {
            ok |= MessageDigest.isEqual(h.getBytes(StandardCharsets.US_ASCII), given);
        }
        return ok;
    }

    public boolean hasPasswords() {
        return !passwordHashes.isEmpty();
    }

    /** Without {@code +@all} a Redis user may run only the commands that need no authentication (AUTH, HELLO, QUIT, RESET). */
    public boolean allCommands() {
        return allCommands;
    }

    public boolean allChannels() {
        return allChannels;
    }

    public boolean canUseChannel(ByteBuf channel, int offset, int length) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channels) {
            if (RespGlob.match(p, channel, offset, length)) {
                return true;
            }
        }
        return false;
    }

    public boolean canUseChannel(byte[] channel) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channels) {
            if (RespGlob.match(p, channel)) {
                return true;
            }
        }
        return false;
    }

    public boolean canUsePattern(byte[] pattern) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channels) {
            if (Arrays.equals(p, pattern)) {
                return true;
            }
        }
        return false;
    }

    List<byte[]> channelPatterns() {
        return List.of(channels);
    }

    static String sha256Hex(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
