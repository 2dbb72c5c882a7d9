package io.lightbroker.broker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A loopback TCP proxy in front of another {@link RespTarget} that rewrites every chunk the server
 * sends back, and can refuse to pass on the server's close. It exists to prove that the
 * differential harness notices a wrong byte, an extra frame or a connection left open: a harness
 * that cannot fail proves nothing.
 */
public final class MutatingProxy implements RespTarget {

    private final RespTarget upstream;
    private final UnaryOperator<byte[]> serverToClient;
    private final boolean forwardClose;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public MutatingProxy(RespTarget upstream, UnaryOperator<byte[]> serverToClient, boolean forwardClose) {
        this.upstream = upstream;
        this.serverToClient = serverToClient;
        this.forwardClose = forwardClose;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "mutating-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket(upstream.host(), upstream.port());
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, UnaryOperator.identity(), true);
                pump(server, client, serverToClient, forwardClose);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, UnaryOperator<byte[]> rewrite, boolean closeWhenDone) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(rewrite.apply(java.util.Arrays.copyOf(buf, n)));
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side went away; the close below reflects that
            }
            if (closeWhenDone) {
                closeQuietly(to);
            }
        }, "mutating-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String description() {
        return "mutating proxy to " + upstream.description();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(MutatingProxy::closeQuietly);
        upstream.close();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // test teardown
        }
    }
}
