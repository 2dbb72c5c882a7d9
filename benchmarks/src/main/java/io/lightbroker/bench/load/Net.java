package io.lightbroker.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Socket helpers shared by publishers and subscribers. */
final class Net {
    private Net() {
    }

    static SocketChannel connect(InetSocketAddress addr) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(addr);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Too many open files")) {
                throw new IOException("cannot open another socket to " + addr
                        + ": too many open files; raise this process's limit with `ulimit -n` "
                        + "or lower --connections", e);
            }
            throw new IOException("cannot connect to " + addr + ": " + m, e);
        }
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ch;
    }

    static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
