package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;

/**
 * Receives the client operations {@link NatsParser} decodes.
 *
 * <p>Every slice is an absolute (index, length) pair into the {@code ByteBuf} passed alongside it,
 * read with {@code getByte}-style access; reader and writer indices mean nothing. A slice is valid
 * only for the duration of the call: the buffer is either the caller's read buffer or one of the
 * parser's own buffers, both reused afterwards. Keep bytes with {@code copy} or
 * {@code retainedSlice(index, length)}.
 *
 * <p>Any method may throw {@link NatsProtocolException}; parsing stops and the exception reaches the
 * caller of {@link NatsParser#parse}. A handler may also change the parser's settings (max payload,
 * headers, awaiting auth), which apply from the next operation on, as in nats-server after CONNECT.
 */
public interface NatsHandler {

    /** {@code CONNECT <json>}; the JSON is not validated here (see {@link ConnectOptions#parse}). */
    void onConnect(ByteBuf buf, int jsonIndex, int jsonLength) throws NatsProtocolException;

    /**
     * {@code PUB <subject> [reply] <#bytes>} with its payload. {@code replyLength} is 0 when there is
     * no reply subject (a present reply is never empty). Subject and reply are not validated.
     */
    void onPub(ByteBuf line, int subjectIndex, int subjectLength, int replyIndex, int replyLength,
               ByteBuf payload, int payloadIndex, int payloadLength) throws NatsProtocolException;

    /**
     * {@code HPUB <subject> [reply] <#header bytes> <#total bytes>}; the message bytes (headers then
     * payload) start at {@code messageIndex} and run for {@code totalLength}.
     */
    void onHpub(ByteBuf line, int subjectIndex, int subjectLength, int replyIndex, int replyLength,
                ByteBuf message, int messageIndex, int headerLength, int totalLength) throws NatsProtocolException;

    /** {@code SUB <subject> [queue] <sid>}; {@code queueLength} is 0 without a queue group. */
    void onSub(ByteBuf line, int subjectIndex, int subjectLength, int queueIndex, int queueLength,
               int sidIndex, int sidLength) throws NatsProtocolException;

    /**
     * {@code UNSUB <sid> [max]}. {@code max} is -1 when absent and also when it is not a number of at
     * most nine digits: nats-server then unsubscribes at once, as if no max had been given.
     */
    void onUnsub(ByteBuf line, int sidIndex, int sidLength, int max) throws NatsProtocolException;

    void onPing() throws NatsProtocolException;

    void onPong() throws NatsProtocolException;

    /** A client's {@code INFO <json>}; nats-server accepts and ignores it once its JSON is valid. */
    default void onInfo(ByteBuf buf, int jsonIndex, int jsonLength) throws NatsProtocolException {
    }

    /** A client's {@code +OK}; nats-server ignores it. */
    default void onOk() throws NatsProtocolException {
    }
}
