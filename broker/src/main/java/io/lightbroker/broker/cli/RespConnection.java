package io.lightbroker.broker.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The RESP2 client side of {@code pub}/{@code sub}: AUTH, PUBLISH, SUBSCRIBE and PSUBSCRIBE
 * as multibulk commands, and a reader for the five RESP2 reply types. Redis has no queue
 * groups, so {@code --queue} is refused for this protocol before a connection is made.
 */
final class RespConnection implements ClientConnection {
    private final Socket socket;
    private final LineReader in;
    private final OutputStream out;
    private long receivers;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new LineReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    static RespConnection open(Endpoint ep, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(ep.host(), ep.port()), timeoutMillis);
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            RespConnection c = new RespConnection(s);
            if (ep.secret() != null) {
                Object r = ep.user() == null ? c.call("AUTH", ep.secret()) : c.call("AUTH", ep.user(), ep.secret());
                if (!"OK".equals(r)) {
                    throw new ProtocolException("AUTH answered " + r);
                }
            } else if (ep.user() != null) {
                throw new UsageException("--user needs --auth-file with the password");
            }
            s.setSoTimeout(0);
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void publish(String subject, byte[] payload) throws IOException {
        Object r = call("PUBLISH".getBytes(StandardCharsets.US_ASCII), subject.getBytes(StandardCharsets.UTF_8), payload);
        if (!(r instanceof Long n)) {
            throw new ProtocolException("PUBLISH answered " + describe(r));
        }
        receivers += n;
    }

    @Override
    public void flush() {
        // Every command above waited for its reply.
    }

    @Override
    public void subscribe(String subject, String queue, boolean pattern) throws IOException {
        if (queue != null) {
            throw new UsageException("--queue is NATS only: Redis has no queue groups");
        }
        Object r = call(pattern ? "PSUBSCRIBE" : "SUBSCRIBE", subject);
        if (!(r instanceof List<?> l) || l.isEmpty() || !(l.get(0) instanceof byte[] kind)
                || !new String(kind, StandardCharsets.UTF_8).equals(pattern ? "psubscribe" : "subscribe")) {
            throw new ProtocolException("SUBSCRIBE answered " + describe(r));
        }
    }

    @Override
    public Message next() throws IOException {
        while (true) {
            Object r;
            try {
                r = read();
            } catch (EOFException e) {
                return null;
            }
            if (r instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof byte[] kindBytes) {
                String kind = new String(kindBytes, StandardCharsets.UTF_8);
                if (kind.equals("message") && l.size() == 3) {
                    return new Message(text(l.get(1)), (byte[]) l.get(2), null);
                }
                if (kind.equals("pmessage") && l.size() == 4) {
                    return new Message(text(l.get(2)), (byte[]) l.get(3), text(l.get(1)));
                }
            }
            // Anything else while subscribed (a pong, a subscribe confirmation) is not a message.
        }
    }

    @Override
    public long receivers() {
        long n = receivers;
        receivers = 0;
        return n;
    }

    private Object call(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(b);
    }

    private Object call(byte[]... args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
        Object r = read();
        if (r instanceof RespError e) {
            throw new ProtocolException(e.text());
        }
        return r;
    }

    private record RespError(String text) {}

    /** One RESP2 reply: String (+), RespError (-), Long (:), byte[] or null ($), List or null (*). */
    private Object read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("connection closed by the server");
        }
        if (line.isEmpty()) {
            throw new ProtocolException("empty reply line");
        }
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+' -> {
                return rest;
            }
            case '-' -> {
                return new RespError(rest);
            }
            case ':' -> {
                return number(rest);
            }
            case '$' -> {
                long n = number(rest);
                return n < 0 ? null : in.readPayload(Math.toIntExact(n));
            }
            case '*' -> {
                long n = number(rest);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>((int) Math.min(n, 16));
                for (long i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default -> throw new ProtocolException("not a RESP2 reply: '" + line + "'");
        }
    }

    private static long number(String s) throws ProtocolException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad number in reply: '" + s + "'");
        }
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static String describe(Object r) {
        if (r instanceof byte[] b) {
            return "'" + new String(b, StandardCharsets.UTF_8) + "'";
        }
        return String.valueOf(r);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
