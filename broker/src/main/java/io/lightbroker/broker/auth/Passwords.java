package io.lightbroker.broker.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Password comparison for configured users: plain text in constant time, or a bcrypt hash
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}) as nats-server accepts in its users list.
 *
 * <p>bcrypt is slow on purpose (cost 11 is about 100 ms of one core). nats-server runs it inline on
 * the client's goroutine; here that would stall every other connection on the event loop, so a
 * check that is not {@link #isQuick quick} runs on the {@link AuthExecutor} instead. Successful
 * verifications are remembered (a SHA-256 of hash and password, never the password), so a
 * reconnecting client — clients reconnect with the same credentials — is checked on the loop with
 * one hash lookup. A wrong password is never cached. The cache is bounded: when full it is cleared.
 *
 * <p>Library choice: {@code at.favre.lib:bcrypt} (about 120 KB with its one dependency) rather than
 * Bouncy Castle's OpenBSDBCrypt (an 8 MB jar) for the container image's size budget.
 */
public final class Passwords {
    private static final int CACHE_LIMIT = 4096;
    private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    private Passwords() {}

    public static boolean isBcrypt(String stored) {
        return stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$");
    }

    /** Whether {@code given} is the password {@code stored} describes (plain, or a bcrypt hash). */
    public static boolean matches(String stored, String given) {
        if (given == null) {
            return false;
        }
        if (!isBcrypt(stored)) {
            return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
        }
        String key = digest(stored, given);
        if (VERIFIED.contains(key)) {
            return true;
        }
        boolean ok = BCrypt.verifyer().verify(given.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8)).verified;
        if (ok) {
            if (VERIFIED.size() >= CACHE_LIMIT) {
                VERIFIED.clear();
            }
            VERIFIED.add(key);
        }
        return ok;
    }

    /** Whether {@link #matches} would answer at once: plain text, or a bcrypt check already cached. */
    public static boolean isQuick(String stored, String given) {
        return given == null || !isBcrypt(stored) || VERIFIED.contains(digest(stored, given));
    }

    /** Rejects a malformed bcrypt hash when the configuration is read, not at the first login. */
    static void checkStored(String stored) {
        if (isBcrypt(stored) && !stored.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalArgumentException("malformed bcrypt hash (expected $2a$NN$ and 53 characters of salt and hash)");
        }
    }

    private static String digest(String stored, String given) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(stored.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(given.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
