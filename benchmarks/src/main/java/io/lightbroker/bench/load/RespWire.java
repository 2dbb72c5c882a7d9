package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Raw RESP2: PUBLISH, SUBSCRIBE, PSUBSCRIBE and PING out; integers, simple strings, errors and
 * push arrays ({@code message}, {@code pmessage}, {@code subscribe}, {@code psubscribe}) in.
 *
 * <p>Each PUBLISH is answered with an integer (the receiver count), which is what bounds a
 * publisher's pipeline. Subscribe confirmations arrive one per channel or pattern.
 */
final class RespWire implements Wire {
    static final RespWire INSTANCE = new RespWire();

    private static final byte[] PING = ascii("*1\r\n$4\r\nPING\r\n");

    private RespWire() {
    }

    @Override
    public Proto proto() {
        return Proto.RESP;
    }

    @Override
    public byte[] connect() {
        return new byte[0];
    }

    @Override
    public byte[] ping() {
        return PING;
    }

    @Override
    public byte[] subscribe(String subject, int sid) {
        return command("SUBSCRIBE", subject);
    }

    @Override
    public byte[] patternSubscribe(String pattern, int sid) {
        return command("PSUBSCRIBE", pattern);
    }

    @Override
    public String tokenPattern(String prefix, int n) {
        return prefix + "." + n + ".*";
    }

    @Override
    public String catchAllPattern(String prefix) {
        return prefix + ".*";
    }

    @Override
    public byte[] publishHeader(String subject, int payloadLen) {
        byte[] s = subject.getBytes(StandardCharsets.UTF_8);
        return ascii("*3\r\n$7\r\nPUBLISH\r\n$" + s.length + "\r\n" + subject + "\r\n$" + payloadLen + "\r\n");
    }

    @Override
    public boolean repliesToEachPublish() {
        return true;
    }

    @Override
    public int subscribeAcks(int subs) {
        return subs;
    }

    @Override
    public boolean pingAfterSubscribe() {
        return false;
    }

    /*
     * *3\r\n$7\r\nmessage\r\n$<n>\r\n<channel>\r\n$<n>\r\n<payload>\r\n
     * *4\r\n$8\r\npmessage\r\n$<n>\r\n<pattern>\r\n$<n>\r\n<channel>\r\n$<n>\r\n<payload>\r\n
     * *3\r\n$9\r\nsubscribe\r\n$<n>\r\n<channel>\r\n:<count>\r\n   (and psubscribe, unsubscribe...)
     * The payload is always the last bulk string; the kind is told by the first element's length
     * and first byte.
     */
    @Override
    public int parseSubscriber(byte[] b, int pos, int end, SubConn c) throws IOException {
        while (pos < end) {
            byte c0 = b[pos];
            if (c0 != '*') {
                int nl = Wire.indexOf(b, pos, end, (byte) '\n');
                if (nl < 0) {
                    return pos;
                }
                if (c0 == '-') {
                    throw new IOException("redis server error: " + Wire.line(b, pos, nl));
                }
                pos = nl + 1; // +PONG, :n outside subscribe mode: nothing to do
                continue;
            }
            int p = pos + 1;
            int n = 0;
            while (p < end && b[p] != '\r') {
                n = n * 10 + (b[p++] - '0');
            }
            p += 2;
            if (p > end) {
                return pos;
            }
            int kindOff = -1;
            int kindLen = 0;
            int lastOff = -1;
            int lastLen = 0;
            for (int i = 0; i < n; i++) {
                if (p >= end) {
                    return pos;
                }
                byte t = b[p++];
                int v = 0;
                while (p < end && b[p] != '\r') {
                    v = v * 10 + (b[p++] - '0');
                }
                p += 2;
                if (p > end) {
                    return pos;
                }
                if (t == '$') {
                    if (i == 0) {
                        kindOff = p;
                        kindLen = v;
                    }
                    lastOff = p;
                    lastLen = v;
                    p += v + 2;
                    if (p > end) {
                        return pos;
                    }
                } else if (t != ':') {
                    throw new IOException("unexpected RESP type '" + (char) t + "' in push frame");
                }
            }
            if (kindOff >= 0) {
                byte k = b[kindOff];
                if ((k == 'm' && kindLen == 7) || (k == 'p' && kindLen == 8 && b[kindOff + 1] == 'm')) {
                    c.onMessage(b, lastOff, lastLen);
                } else if (k == 's' || (k == 'p' && b[kindOff + 1] == 's')) {
                    c.onAck();
                }
            }
            pos = p;
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
            if (c0 == ':') {
                p.onPublishReply();
            } else if (c0 == '+') {
                p.onPong();
            } else if (c0 == '-') {
                throw new IOException("redis server error: " + Wire.line(b, pos, nl));
            } else {
                throw new IOException("unexpected reply to PUBLISH: " + Wire.line(b, pos, nl));
            }
            pos = nl + 1;
        }
        return pos;
    }

    private static byte[] command(String name, String arg) {
        byte[] a = arg.getBytes(StandardCharsets.UTF_8);
        return ascii("*2\r\n$" + name.length() + "\r\n" + name + "\r\n$" + a.length + "\r\n" + arg + "\r\n");
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
