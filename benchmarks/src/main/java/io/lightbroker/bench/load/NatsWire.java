package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Raw NATS client protocol: CONNECT, SUB, PUB, PING out; INFO, MSG, PING, PONG, +OK, -ERR in.
 *
 * <p>{@code verbose:false} so the server sends no +OK per PUB, and {@code echo:false} so a
 * connection never receives its own publishes. A publisher is flow-controlled by a PING every K
 * messages: nats-server answers PONG only after it has processed everything before the PING.
 */
final class NatsWire implements Wire {
    static final NatsWire INSTANCE = new NatsWire();

    private static final byte[] CONNECT = ascii(
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,"
                    + "\"name\":\"lightbroker-loadgen\",\"lang\":\"java\",\"version\":\"0\",\"protocol\":1}\r\n");
    private static final byte[] PING = ascii("PING\r\n");
    static final byte[] PONG = ascii("PONG\r\n");

    private NatsWire() {
    }

    @Override
    public Proto proto() {
        return Proto.NATS;
    }

    @Override
    public byte[] connect() {
        return CONNECT;
    }

    @Override
    public byte[] ping() {
        return PING;
    }

    @Override
    public byte[] subscribe(String subject, int sid) {
        return ascii("SUB " + subject + " " + sid + "\r\n");
    }

    @Override
    public byte[] patternSubscribe(String pattern, int sid) {
        return subscribe(pattern, sid);
    }

    @Override
    public String tokenPattern(String prefix, int n) {
        return prefix + "." + n + ".*";
    }

    @Override
    public String catchAllPattern(String prefix) {
        return prefix + ".>";
    }

    @Override
    public byte[] publishHeader(String subject, int payloadLen) {
        return ascii("PUB " + subject + " " + payloadLen + "\r\n");
    }

    @Override
    public boolean repliesToEachPublish() {
        return false;
    }

    @Override
    public int subscribeAcks(int subs) {
        return 1;
    }

    @Override
    public boolean pingAfterSubscribe() {
        return true;
    }

    /*
     * MSG <subject> <sid> [reply-to] <#bytes>\r\n<payload>\r\n. The size is the last token of the
     * control line, read backwards from the CR, so the subject and sid are never looked at.
     */
    @Override
    public int parseSubscriber(byte[] b, int pos, int end, SubConn c) throws IOException {
        while (pos < end) {
            int nl = Wire.indexOf(b, pos, end, (byte) '\n');
            if (nl < 0) {
                return pos;
            }
            byte c0 = b[pos];
            if (c0 == 'M') {
                int size = 0;
                int mul = 1;
                for (int i = nl - 2; b[i] != ' '; i--) {
                    size += (b[i] - '0') * mul;
                    mul *= 10;
                }
                int payload = nl + 1;
                int frameEnd = payload + size + 2;
                if (frameEnd > end) {
                    return pos;
                }
                c.onMessage(b, payload, size);
                pos = frameEnd;
                continue;
            }
            if (c0 == 'P' || c0 == 'p') {
                if (b[pos + 1] == 'I' || b[pos + 1] == 'i') {
                    c.onServerPing();
                } else {
                    c.onAck();
                }
            } else if (c0 == '-') {
                throw new IOException("nats server error: " + Wire.line(b, pos, nl));
            }
            // INFO and +OK need nothing.
            pos = nl + 1;
        }
        return pos;
    }

    @Override
    public int parsePublisherReplies(byte[] b, int pos, int end, Publisher p) throws IOException {
        while (pos < end) {
            int nl = Wire.indexOf(b, pos, end, (byte) '\n');
            if (nl < 0) {
                return pos;
            }
            byte c0 = b[pos];
            if (c0 == 'P' || c0 == 'p') {
                if (b[pos + 1] == 'I' || b[pos + 1] == 'i') {
                    p.onServerPing();
                } else {
                    p.onPong();
                }
            } else if (c0 == '-') {
                throw new IOException("nats server error: " + Wire.line(b, pos, nl));
            }
            pos = nl + 1;
        }
        return pos;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
