package io.lightbroker.broker.cli;

import io.lightbroker.broker.Version;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The NATS client side of {@code pub}/{@code sub}: INFO, CONNECT, PUB, SUB with an optional
 * queue group, and PING/PONG both ways. Every step that must be known to have happened
 * (connected and authorized, subscription registered, messages accepted) ends with a PING
 * and waits for its PONG, which nats-server and lightbroker answer only after every earlier
 * line of the connection was processed.
 */
final class NatsConnection implements ClientConnection {
    private final Socket socket;
    private final LineReader in;
    private final OutputStream out;
    private final ArrayDeque<Message> pending = new ArrayDeque<>();
    private int nextSid = 1;

    private NatsConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new LineReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    static NatsConnection open(Endpoint ep, String clientName, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(ep.host(), ep.port()), timeoutMillis);
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            NatsConnection c = new NatsConnection(s);
            String info = c.in.readLine();
            if (info == null || !info.startsWith("INFO ")) {
                throw new ProtocolException("expected INFO from a NATS server, got " + (info == null ? "end of stream" : quote(info)));
            }
            c.send(connectLine(ep, clientName));
            c.flush();
            s.setSoTimeout(0);
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static String connectLine(Endpoint ep, String clientName) {
        StringBuilder sb = new StringBuilder("CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"name\":");
        json(sb, clientName);
        sb.append(",\"lang\":\"lightbroker-cli\",\"version\":");
        json(sb, Version.VERSION);
        sb.append(",\"protocol\":1,\"echo\":true,\"headers\":false");
        if (ep.secret() != null) {
            if (ep.user() != null) {
                sb.append(",\"user\":");
                json(sb, ep.user());
                sb.append(",\"pass\":");
            } else {
                sb.append(",\"auth_token\":");
            }
            json(sb, ep.secret());
        } else if (ep.user() != null) {
            throw new UsageException("--user needs --auth-file with the password");
        }
        return sb.append("}\r\n").toString();
    }

    @Override
    public void publish(String subject, byte[] payload) throws IOException {
        checkSubject(subject);
        out.write(("PUB " + subject + " " + payload.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(payload);
        out.write('\r');
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        send("PING\r\n");
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new ProtocolException("connection closed by the server");
            }
            if (line.equals("PONG")) {
                return;
            }
            Message m = message(line);
            if (m != null) {
                // Delivered before the PONG (a subscription is live as soon as the server reads SUB).
                pending.add(m);
            } else {
                handleControl(line);
            }
        }
    }

    @Override
    public void subscribe(String subject, String queue, boolean pattern) throws IOException {
        checkSubject(subject);
        if (queue != null) {
            checkSubject(queue);
        }
        send("SUB " + subject + (queue == null ? "" : " " + queue) + " " + nextSid++ + "\r\n");
        flush();
    }

    @Override
    public Message next() throws IOException {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            Message m = message(line);
            if (m != null) {
                return m;
            }
            handleControl(line);
        }
    }

    /** The message a MSG or HMSG line starts (reading its payload), or null for any other line. */
    private Message message(String line) throws IOException {
        if (line.startsWith("MSG ")) {
            // MSG <subject> <sid> [reply-to] <#bytes>
            String[] f = line.split(" ");
            if (f.length < 4 || f.length > 5) {
                throw new ProtocolException("malformed " + quote(line));
            }
            return new Message(f[1], in.readPayload(length(f[f.length - 1], line)), null);
        }
        if (line.startsWith("HMSG ")) {
            // HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>: the headers are dropped.
            String[] f = line.split(" ");
            if (f.length < 5 || f.length > 6) {
                throw new ProtocolException("malformed " + quote(line));
            }
            int hdr = length(f[f.length - 2], line);
            byte[] all = in.readPayload(length(f[f.length - 1], line));
            if (hdr > all.length) {
                throw new ProtocolException("malformed " + quote(line));
            }
            byte[] payload = new byte[all.length - hdr];
            System.arraycopy(all, hdr, payload, 0, payload.length);
            return new Message(f[1], payload, null);
        }
        return null;
    }

    @Override
    public long receivers() {
        return -1;
    }

    private void handleControl(String line) throws IOException {
        if (line.equals("PING")) {
            send("PONG\r\n");
        } else if (line.startsWith("-ERR")) {
            throw new ProtocolException(line.substring(4).trim());
        } else if (!line.equals("PONG") && !line.equals("+OK") && !line.startsWith("INFO ")) {
            // INFO may come again (lame-duck mode while the server drains); anything else is not NATS.
            throw new ProtocolException("unexpected " + quote(line));
        }
    }

    private void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static int length(String field, String line) throws ProtocolException {
        try {
            int n = Integer.parseInt(field);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProtocolException("bad size in " + quote(line));
    }

    private static void checkSubject(String subject) {
        if (subject.isEmpty()) {
            throw new UsageException("empty subject");
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                throw new UsageException("a NATS subject cannot contain whitespace: " + quote(subject));
            }
        }
    }

    private static String quote(String s) {
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "'";
    }

    private static void json(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } finally {
            socket.close();
        }
    }
}
