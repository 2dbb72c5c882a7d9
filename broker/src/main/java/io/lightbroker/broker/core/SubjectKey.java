package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A byte-string map key with a precomputed hash; channels and subjects are binary-safe. */
public final class SubjectKey {
    private final byte[] bytes;
    private final int hash;

    public SubjectKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash(bytes, 0, bytes.length);
    }

    public static SubjectKey of(ByteBuf buf, int off, int len) {
        byte[] b = new byte[len];
        buf.getBytes(off, b);
        return new SubjectKey(b);
    }

    public static SubjectKey of(String s) {
        return new SubjectKey(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public byte[] bytes() {
        return bytes;
    }

    public static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    public static int hash(ByteBuf b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b.getByte(i) & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
