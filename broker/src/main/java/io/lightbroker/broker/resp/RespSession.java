package io.lightbroker.broker.resp;

import io.lightbroker.broker.auth.RespUser;
import io.lightbroker.broker.core.Connection;
import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.core.LoopContext;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.RateLimitedLog;
import io.lightbroker.broker.core.SubjectKey;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespCommandSink;
import io.lightbroker.resp.RespErrors;
import io.lightbroker.resp.RespProtocolException;
import io.lightbroker.resp.RespRequestParser;
import io.lightbroker.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RESP connection: bytes in through the resumable {@link RespRequestParser}, commands
 * dispatched through {@link RespCommands}, replies and pub/sub messages out through the
 * connection's {@link Outbound} (one buffer, flushed once per read batch).
 *
 * <p>Threading: every method runs on the connection's event loop, except {@link #resp3()},
 * {@link #outbound()} and {@link #clientId()}, which publishers on other loops read.
 *
 * <p>Redis quirks kept here: a protocol error is answered and then the connection closes
 * (Redis's CLIENT_CLOSE_AFTER_REPLY); before AUTH the parser applies Redis's tighter
 * unauthenticated limits; in RESP2, a subscribed connection accepts only the subscribe family,
 * PING, QUIT and RESET.
 */
public final class RespSession extends Connection implements RespCommandSink {
    private static final Logger LOG = LoggerFactory.getLogger(RespSession.class);
    private static final RateLimitedLog SLOW_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog ERROR_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog AUTH_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog LIMIT_LOG = new RateLimitedLog(LOG, 10);

    static final int REPLY_ON = 0;
    static final int REPLY_OFF = 1;
    static final int REPLY_SKIP = 2;

    final RespServerContext server;
    private final RespRequestParser parser;
    String lastCommand = "NULL";

    private ByteBuf cumulation;
    private volatile boolean resp3;

    String name;
    String libName;
    String libVersion;
    boolean authenticated;
    /** Redis's {@code c->user}: default until AUTH or HELLO AUTH succeeds. */
    RespUser user;
    private ScheduledFuture<?> authTask;
    int replyMode = REPLY_ON;
    private boolean skipCurrent;
    private boolean closeAfterReply;
    private ByteBuf discard;

    final LinkedHashMap<SubjectKey, Subscription> channels = new LinkedHashMap<>();
    final LinkedHashMap<SubjectKey, Subscription> patterns = new LinkedHashMap<>();
    final LinkedHashMap<SubjectKey, Subscription> shards = new LinkedHashMap<>();

    public RespSession(RespServerContext server) {
        super(server.broker.clients().nextId());
        this.server = server;
        this.parser = new RespRequestParser(server.limits);
        this.user = server.acl.defaultUser();
        this.authenticated = user.authenticatesWithoutPassword();
        parser.setAuthenticated(authenticated);
    }

    @Override
    public boolean resp3() {
        return resp3;
    }

    void resp3(boolean on) {
        resp3 = on;
    }

    Channel channel() {
        return channel;
    }

    LoopContext loop() {
        return loop;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        attach(ctx.channel(), server.broker, server.outputLimits, this::onSlowConsumer);
        if (!server.register(this, server.config.get(io.lightbroker.broker.config.Settings.MAX_CLIENTS))) {
            server.rejectedConnections.incrementAndGet();
            limitHit(Limit.MAX_CLIENTS, "max number of clients reached");
            RespWriter.error(outbound.buffer(64), RespErrors.MAX_CLIENTS);
            closeAfterReply = true;
            outbound.replyWritten();
            loop.flushDirty();
            channel.close();
            return;
        }
        if (!authenticated && server.authTimeoutMillis > 0) {
            authTask = channel.eventLoop().schedule(this::authTimeout, server.authTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (LOG.isDebugEnabled()) {
            logged(() -> LOG.debug("resp client {} connected from {}", id, remoteAddress()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closeAfterReply) {
            in.release();
            return;
        }
        lastActivityMillis = System.currentTimeMillis();
        outbound.drainBeforeReplies();
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        try {
            parser.parse(cumulation, this);
        } catch (RespProtocolException e) {
            server.broker.stats().protocolErrors.increment();
            if (isSizeLimit(e.getMessage())) {
                server.broker.stats().limitHits.hit(Limit.MAX_REQUEST_SIZE);
            }
            logged(() -> ERROR_LOG.info("resp client {} ({}) protocol error: {}", id, remoteAddress(), e.getMessage()));
            RespWriter.error(outbound.buffer(64), e.getMessage());
            outbound.replyWritten();
            closeAfterReply = true;
        }
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else if (cumulation.readerIndex() > 64 * 1024) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closeAfterReply) {
            loop.flushDirty();
            channel.close();
        } else {
            loop.endOfBatch();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (authTask != null) {
            authTask.cancel(false);
        }
        unsubscribeAllSilently();
        releaseCachedMatches(server.broker);
        if (outbound != null) {
            outbound.close();
        }
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (discard != null) {
            discard.release();
            discard = null;
        }
        server.unregister(this);
        if (LOG.isDebugEnabled()) {
            logged(() -> LOG.debug("resp client {} disconnected", id));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("resp client {} connection error: {}", id, cause.toString());
        ctx.close();
    }

    /**
     * Redis has no authentication timeout; with resp-auth-timeout set, a client that has not
     * authenticated in time is closed without a reply, as Redis closes a client idle past its
     * {@code timeout}.
     */
    private void authTimeout() {
        if (!authenticated && channel.isActive()) {
            limitHit(Limit.AUTH_TIMEOUT, "not authenticated within resp-auth-timeout, closed");
            channel.close();
        }
    }

    /** The protocol errors that are request size limits (proto-max-bulk-len, inline and unauthenticated limits). */
    private static boolean isSizeLimit(String error) {
        return RespErrors.PROTOCOL_INVALID_BULK_LENGTH.equals(error) || RespErrors.PROTOCOL_TOO_BIG_INLINE_REQUEST.equals(error)
                || RespErrors.PROTOCOL_TOO_BIG_MBULK_COUNT.equals(error) || RespErrors.PROTOCOL_TOO_BIG_BULK_COUNT.equals(error)
                || RespErrors.PROTOCOL_UNAUTHENTICATED_BULK_LENGTH.equals(error)
                || RespErrors.PROTOCOL_UNAUTHENTICATED_MULTIBULK_LENGTH.equals(error)
                || RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH.equals(error);
    }

    /** Counted in lightbroker_limit_hits_total and logged at a bounded rate. */
    void limitHit(Limit limit, String what) {
        server.broker.stats().limitHits.hit(limit);
        logged(() -> LIMIT_LOG.warn("resp client {} ({}): {}", id, remoteAddress(), what));
    }

    private void onSlowConsumer(Outbound o, long pending) {
        server.broker.stats().limitHits.hit(Limit.MAX_PENDING);
        logged(() -> SLOW_LOG.warn("resp client {} ({}) disconnected: pub/sub output buffer over limit ({} bytes pending)",
                id, remoteAddress(), pending));
        channel.close();
    }

    @Override
    public void onCommand(RespArgs a) {
        if (closeAfterReply) {
            return;
        }
        skipCurrent = replyMode == REPLY_SKIP;
        if (skipCurrent) {
            replyMode = REPLY_ON;
        }
        RespCommands.dispatch(this, a);
        skipCurrent = false;
        outbound.replyWritten();
    }

    /** The buffer the current command's reply goes to; call again after anything that publishes. */
    ByteBuf out() {
        if (replyMode == REPLY_OFF || skipCurrent) {
            if (discard == null) {
                discard = channel.alloc().heapBuffer(256);
            }
            discard.clear();
            return discard;
        }
        return outbound.buffer(64);
    }

    /**
     * The buffer for (un)subscribe confirmations: Redis 7.0 sends them as push replies, which
     * CLIENT REPLY OFF/SKIP does not silence.
     */
    ByteBuf pushOut() {
        return outbound.buffer(64);
    }

    /** An authentication failure (AUTH or HELLO AUTH), logged at a bounded rate. */
    void authFailed() {
        logged(() -> AUTH_LOG.info("resp client {} ({}) authentication failed", id, remoteAddress()));
    }

    void error(String message) {
        RespWriter.error(out(), message);
    }

    void closeAfterReply() {
        closeAfterReply = true;
    }

    void authenticatedAs(RespUser u) {
        user = u;
        authenticated = true;
        parser.setAuthenticated(true);
    }

    /** RESET: back to the default user, authenticated only if it needs no password (Redis's clientSetDefaultAuth). */
    void resetUser() {
        user = server.acl.defaultUser();
        authenticated = user.authenticatesWithoutPassword();
        parser.setAuthenticated(authenticated);
    }

    /** Redis's CLIENT_PUBSUB in RESP2: only the subscribe family, PING, QUIT, RESET allowed. */
    boolean inResp2PubSubContext() {
        return !resp3 && (!channels.isEmpty() || !patterns.isEmpty() || !shards.isEmpty());
    }

    /** What Redis's (P)SUBSCRIBE replies count: channels plus patterns, not shard channels. */
    int channelAndPatternCount() {
        return channels.size() + patterns.size();
    }

    void unsubscribeAllSilently() {
        for (Subscription s : channels.values()) {
            server.broker.index().remove(s);
        }
        for (Subscription s : patterns.values()) {
            server.broker.index().remove(s);
        }
        for (Subscription s : shards.values()) {
            server.broker.index().remove(s);
        }
        channels.clear();
        patterns.clear();
        shards.clear();
    }

    // ---- ClientInfo ----

    @Override
    public String protocol() {
        return "resp";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int subscriptionCount() {
        return channels.size() + patterns.size() + shards.size();
    }


    long ageSeconds() {
        return (System.currentTimeMillis() - startMillis) / 1000;
    }

    long idleSeconds() {
        return (System.currentTimeMillis() - lastActivityMillis) / 1000;
    }
}
