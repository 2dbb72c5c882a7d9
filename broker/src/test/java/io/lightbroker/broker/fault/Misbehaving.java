package io.lightbroker.broker.fault;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The misbehaving clients' moves, on plain sockets. */
final class Misbehaving {
    private Misbehaving() {}

    /** How a client goes away. */
    enum Exit {
        /** close(): a FIN after the bytes sent. */
        CLOSE,
        /** SO_LINGER 0, then close(): an RST, as from a crashed host or a killed process behind a NAT. */
        RESET
    }

    static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    static void send(Socket s, String latin1) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(latin1.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static void leave(Socket s, Exit how) throws IOException {
        if (how == Exit.RESET) {
            s.setSoLinger(true, 0);
        }
        s.close();
    }

    /** A NATS connection past its greeting: INFO read, CONNECT sent. */
    static Socket natsConnected(int port) throws IOException {
        Socket s = open(port);
        readLine(s);
        send(s, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
        return s;
    }

    static String readLine(Socket s) throws IOException {
        StringBuilder b = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = s.getInputStream().read();
            if (c < 0) {
                throw new IOException("closed after <" + b + ">");
            }
            if (prev == '\r' && c == '\n') {
                return b.substring(0, b.length() - 1);
            }
            b.append((char) c);
            prev = c;
        }
    }

    /** Open client connections the broker has registered (refused ones never are). */
    static int registeredClients(LightBroker b) {
        return b.broker().clients().size();
    }

    static String respPublish(String channel, String payload) {
        return "*3\r\n$7\r\nPUBLISH\r\n$" + channel.length() + "\r\n" + channel + "\r\n$" + payload.length() + "\r\n" + payload + "\r\n";
    }

    static String natsPub(String subject, String payload) {
        return "PUB " + subject + " " + payload.length() + "\r\n" + payload + "\r\n";
    }
}
