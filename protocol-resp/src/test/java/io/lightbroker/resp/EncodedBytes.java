package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Runs an encoder against a pooled buffer and returns what it wrote, as ISO-8859-1. */
final class EncodedBytes {

    private EncodedBytes() {
    }

    static String encode(Consumer<ByteBuf> encoder) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(4);
        try {
            encoder.accept(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }
}
