package io.lightbroker.broker.embed;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One message as an in-process subscriber sees it: copies of the subject, reply subject, NATS
 * header block and payload, taken on the publisher's thread, so a {@code Message} is immutable
 * and may be kept, shared and read from any thread.
 *
 * <p>A message published by a RESP client has no reply and no headers. The arrays returned are
 * the message's own; callers must not modify them.
 */
public final class Message {
    static final byte[] NO_BYTES = new byte[0];

    private final String subject;
    private final String reply;
    private final byte[] headerBlock;
    private final byte[] payload;
    private volatile Map<String, List<String>> headers;

    Message(String subject, String reply, byte[] headerBlock, byte[] payload) {
        this.subject = subject;
        this.reply = reply;
        this.headerBlock = headerBlock;
        this.payload = payload;
    }

    /** The subject (NATS) or channel (RESP) the message was published on. */
    public String subject() {
        return subject;
    }

    /** The NATS reply subject, or null. */
    public String reply() {
        return reply;
    }

    /** NATS headers, in the order they were sent; empty when the message has none. */
    public Map<String, List<String>> headers() {
        Map<String, List<String>> h = headers;
        if (h == null) {
            h = NatsHeaders.parse(headerBlock);
            headers = h;
        }
        return h;
    }

    /** The first value of a header, or null. Names compare exactly, as nats-server and jnats do. */
    public String header(String name) {
        List<String> values = headers().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The raw header block ({@code NATS/1.0\r\n...\r\n\r\n}), or an empty array. */
    public byte[] headerBytes() {
        return headerBlock;
    }

    public byte[] payload() {
        return payload;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Message[").append(subject);
        if (reply != null) {
            sb.append(" reply=").append(reply);
        }
        if (headerBlock.length > 0) {
            sb.append(" headers=").append(headers());
        }
        String p = payloadAsString();
        sb.append(" payload=\"").append(p.length() > 200 ? p.substring(0, 200) + "..." : p).append("\"");
        return sb.append(']').toString();
    }
}
