package io.lightbroker.broker.nats;

import io.lightbroker.broker.auth.AuthExecutor;
import io.lightbroker.broker.auth.NatsPermissions;
import io.lightbroker.broker.auth.ResponseAllowance;
import io.lightbroker.broker.core.Connection;
import io.lightbroker.broker.core.LimitHits;
import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.RateLimitedLog;
import io.lightbroker.broker.core.SubjectKey;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionKind;
import io.lightbroker.nats.ConnectOptions;
import io.lightbroker.nats.NatsEncoder;
import io.lightbroker.nats.NatsErrors;
import io.lightbroker.nats.NatsHandler;
import io.lightbroker.nats.NatsParser;
import io.lightbroker.nats.NatsProtocolException;
import io.lightbroker.nats.NatsSubjects;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NATS client connection: INFO on connect, the resumable {@link NatsParser} on the way in,
 * the shared subject space in the middle, the connection's {@link Outbound} on the way out.
 *
 * <p>Behaviour follows nats-server 2.9: a connection is verbose and pedantic until its CONNECT
 * says otherwise; with authentication configured, anything but CONNECT first is an
 * authorization violation, and a client that never sends CONNECT is dropped after the auth
 * timeout; the server PINGs every ping interval and drops a client with too many unanswered
 * PINGs as a stale connection; a slow consumer (over max_pending) is closed without an error
 * line, as nats-server 2.9 does, counted and logged.
 *
 * <p>Threading: all of it runs on the connection's event loop, except what publishers on other
 * loops read through {@link Subscriber} ({@link #outbound()}, {@link #echo()},
 * {@link #headers()}) and {@link #subscriptionExhausted}, which hops back to the loop.
 */
public final class NatsSession extends Connection implements NatsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NatsSession.class);
    private static final long TLS_HANDSHAKE_TIMEOUT_MILLIS = 2000;
    private static final RateLimitedLog SLOW_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog ERROR_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog AUTH_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog LIMIT_LOG = new RateLimitedLog(LOG, 10);

    private final NatsServerContext server;
    private final NatsParser parser;
    private volatile ConnectOptions options = ConnectOptions.DEFAULTS;
    private boolean connected;
    private boolean closing;
    private int pingsOut;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> authTask;
    private final HashMap<SubjectKey, Subscription> subs = new HashMap<>();
    private volatile int subscriptionCount;
    /** Set by CONNECT; read by publishers on other loops through {@link #accepts}. */
    private volatile NatsPermissions permissions = NatsPermissions.ALL;
    /** Open responses when the user has allow_responses, else null. */
    private volatile ResponseAllowance responses;
    private final LimitHits limitHits;
    /** What the client sent behind a CONNECT whose bcrypt check is running on the AuthExecutor. */
    private ByteBuf heldBack;

    public NatsSession(NatsServerContext server) {
        super(server.broker.clients().nextId());
        this.server = server;
        this.parser = new NatsParser(this, server.maxControlLine, server.maxPayload);
        parser.setAwaitingAuth(server.authRequired());
        this.limitHits = server.broker.stats().limitHits;
    }

    @Override
    public void deliveredWithReply(ByteBuf reply, int index, int length) {
        ResponseAllowance r = responses;
        if (r != null) {
            r.record(reply, index, length);
        }
    }

    @Override
    public boolean accepts(ByteBuf subject, int index, int length) {
        NatsPermissions p = permissions;
        return !p.filtersDeliveries() || p.deliverable(subject, index, length);
    }

    @Override
    public boolean echo() {
        return options.echo();
    }

    @Override
    public boolean headers() {
        return options.headers();
    }

    // ---- connection lifecycle ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        attach(ctx.channel(), server.broker, server.outputLimits, this::onSlowConsumer);
        NatsEncoder.info(outbound.buffer(256), server.info(id, ip(), server.lameDuck));
        if (!server.broker.clients().addIfBelow(this, server.maxConnections, "nats")) {
            limitHit(Limit.MAX_CONNECTIONS, "maximum connections exceeded");
            NatsEncoder.err(outbound.buffer(64), NatsErrors.MAXIMUM_CONNECTIONS_EXCEEDED);
            flushAndClose();
            return;
        }
        if (server.tls != null) {
            startTls(ctx);
        } else {
            outbound.replyWritten();
        }
        if (server.authRequired()) {
            authTask = channel.eventLoop().schedule(this::authTimeout, server.authTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (server.pingIntervalMillis > 0) {
            pingTask = channel.eventLoop().schedule(this::firstPing, firstPingDelayMillis(server.pingIntervalMillis), TimeUnit.MILLISECONDS);
        }
        if (LOG.isDebugEnabled()) {
            logged(() -> LOG.debug("nats client {} connected from {}", id, remoteAddress()));
        }
    }

    /**
     * As nats-server with {@code tls {}}: INFO goes out in plain text announcing tls_required,
     * then the connection waits for the client's TLS handshake; a client that sends plain text
     * instead is closed without a reply (nats-server logs "TLS handshake error" and closes).
     * nats-server gives the handshake 2 s (its default tls timeout).
     */
    private void startTls(ChannelHandlerContext ctx) {
        outbound.flushNow();
        SslHandler tls = server.tls.newHandler(ctx.alloc());
        tls.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MILLIS);
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                logged(() -> ERROR_LOG.info("nats client {} ({}) TLS handshake error: {}", id, remoteAddress(), f.cause().getMessage()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (closing) {
                return;
            }
            lastActivityMillis = System.currentTimeMillis();
            consume(in);
        } finally {
            in.release();
        }
    }

    /** Parses what the client sent; bytes behind a CONNECT whose check runs off the loop are held back. */
    private void consume(ByteBuf in) {
        if (parser.paused()) {
            holdBack(in);
            return;
        }
        try {
            outbound.drainBeforeReplies();
            parser.parse(in);
            if (parser.paused()) {
                holdBack(in);
            }
            outbound.replyWritten();
        } catch (NatsProtocolException e) {
            server.broker.stats().protocolErrors.increment();
            if (NatsErrors.MAXIMUM_PAYLOAD_VIOLATION.equals(e.errorText())) {
                limitHits.hit(Limit.MAX_PAYLOAD);
            } else if (NatsErrors.MAXIMUM_CONTROL_LINE_EXCEEDED.equals(e.errorText())) {
                limitHits.hit(Limit.MAX_CONTROL_LINE);
            }
            logged(() -> ERROR_LOG.info("nats client {} ({}) protocol error: {}", id, remoteAddress(), e.getMessage()));
            if (e.sendsError()) {
                NatsEncoder.err(outbound.buffer(64), e.errorText());
                outbound.replyWritten();
            }
            if (e.closesConnection()) {
                closing = true;
            }
        }
    }

    private void holdBack(ByteBuf in) {
        if (in.isReadable()) {
            if (heldBack == null) {
                heldBack = channel.alloc().heapBuffer(in.readableBytes());
            }
            heldBack.writeBytes(in);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closing) {
            loop.flushDirty();
            channel.close();
        } else {
            loop.endOfBatch();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        if (authTask != null) {
            authTask.cancel(false);
        }
        for (Subscription s : subs.values()) {
            server.broker.index().remove(s);
        }
        subs.clear();
        releaseCachedMatches(server.broker);
        subscriptionCount = 0;
        parser.close();
        if (heldBack != null) {
            heldBack.release();
            heldBack = null;
        }
        if (outbound != null) {
            outbound.close();
        }
        server.broker.clients().remove(this);
        if (LOG.isDebugEnabled()) {
            logged(() -> LOG.debug("nats client {} disconnected", id));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("nats client {} connection error: {}", id, cause.toString());
        ctx.close();
    }

    private void flushAndClose() {
        closing = true;
        outbound.replyWritten();
        loop.flushDirty();
        channel.close();
    }

    private void authTimeout() {
        if (!connected && channel.isActive()) {
            limitHit(Limit.AUTH_TIMEOUT, "authentication timeout");
            NatsEncoder.err(outbound.buffer(64), NatsErrors.AUTHENTICATION_TIMEOUT);
            flushAndClose();
        }
    }

    /**
     * nats-server sends a client its first PING early, to measure the round trip: after the
     * ping interval or {@link #FIRST_PING_MILLIS}, whichever is shorter, plus up to 20% at random;
     * the later ones every ping interval.
     */
    static long firstPingDelayMillis(long interval) {
        long d = Math.min(interval, FIRST_PING_MILLIS);
        return d + java.util.concurrent.ThreadLocalRandom.current().nextLong(Math.max(1, d / 5));
    }

    private static final long FIRST_PING_MILLIS = 2000;

    private void firstPing() {
        ping();
        if (channel.isActive() && !closing) {
            pingTask = channel.eventLoop().scheduleAtFixedRate(this::ping, server.pingIntervalMillis, server.pingIntervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void ping() {
        if (!channel.isActive() || closing) {
            return;
        }
        if (pingsOut + 1 > server.pingMax) {
            limitHit(Limit.STALE_CONNECTION, "stale connection");
            NatsEncoder.err(outbound.buffer(64), NatsErrors.STALE_CONNECTION);
            flushAndClose();
            return;
        }
        pingsOut++;
        NatsEncoder.ping(outbound.buffer(8));
        outbound.replyWritten();
        loop.flushDirty();
    }

    private void onSlowConsumer(Outbound o, long pending) {
        limitHits.hit(Limit.MAX_PENDING);
        logged(() -> SLOW_LOG.warn("nats client {} ({}) disconnected: slow consumer, {} bytes pending over max_pending", id,
                remoteAddress(), pending));
        channel.close();
    }

    /** Lame-duck mode: tell the client, as nats-server does, with an INFO carrying {@code ldm: true}. */
    public void announceLameDuck() {
        channel.eventLoop().execute(() -> {
            if (channel.isActive() && !closing) {
                NatsEncoder.info(outbound.buffer(256), server.info(id, ip(), true));
                outbound.replyWritten();
                loop.flushDirty();
            }
        });
    }

    /** Counted in lightbroker_limit_hits_total and logged at a bounded rate. */
    private void limitHit(Limit limit, String what) {
        limitHits.hit(limit);
        logged(() -> LIMIT_LOG.warn("nats client {} ({}): {}", id, remoteAddress(), what));
    }

    // ---- protocol operations ----

    private void ok() {
        if (options.verbose()) {
            NatsEncoder.ok(outbound.buffer(8));
        }
    }

    private void err(String text) {
        NatsEncoder.err(outbound.buffer(64), text);
    }

    @Override
    public void onConnect(ByteBuf buf, int index, int length) throws NatsProtocolException {
        ConnectOptions o = ConnectOptions.parse(buf, index, length);
        o.checkClientRules();
        if (server.authRequired() && server.slowToAuthorize(o)) {
            // An uncached bcrypt check: off the event loop, reading nothing more until it is done.
            parser.pause();
            channel.config().setAutoRead(false);
            AuthExecutor.run(() -> server.authorize(o), granted -> {
                try {
                    channel.eventLoop().execute(() -> checked(o, granted));
                } catch (java.util.concurrent.RejectedExecutionException brokerClosed) {
                    // The loop shut down while the check ran: the connection is gone already.
                }
            });
            return;
        }
        NatsPermissions granted = server.authRequired() ? server.authorize(o) : NatsPermissions.ALL;
        if (granted == null) {
            logged(() -> AUTH_LOG.info("nats client {} ({}) authorization violation", id, remoteAddress()));
            throw NatsProtocolException.errAndClose(NatsErrors.AUTHORIZATION_VIOLATION);
        }
        accept(o, granted);
    }

    /** Back on the loop after a slow credential check: answer as the inline path would, then go on reading. */
    private void checked(ConnectOptions o, NatsPermissions granted) {
        if (closing || !channel.isActive()) {
            return;
        }
        if (granted == null) {
            server.broker.stats().protocolErrors.increment();
            logged(() -> AUTH_LOG.info("nats client {} ({}) authorization violation", id, remoteAddress()));
            err(NatsErrors.AUTHORIZATION_VIOLATION);
            flushAndClose();
            return;
        }
        accept(o, granted);
        parser.resume();
        ByteBuf rest = heldBack;
        heldBack = null;
        if (rest != null) {
            try {
                consume(rest);
            } finally {
                rest.release();
            }
        }
        outbound.replyWritten();
        loop.flushDirty();
        if (closing) {
            channel.close();
        } else if (!parser.paused()) {
            channel.config().setAutoRead(true);
        }
    }

    private void accept(ConnectOptions o, NatsPermissions granted) {
        responses = granted.responses() == null ? null : new ResponseAllowance(granted.responses());
        permissions = granted;
        options = o;
        connected = true;
        if (authTask != null) {
            authTask.cancel(false);
            authTask = null;
        }
        parser.setAwaitingAuth(false);
        parser.setHeadersEnabled(o.headers());
        ok();
    }

    @Override
    public void onPub(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf payload, int pi, int pl) {
        publish(line, si, sl, ri, rl, payload, pi, 0, pl);
    }

    @Override
    public void onHpub(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf message, int mi, int hl, int tl) {
        publish(line, si, sl, ri, rl, message, mi, hl, tl);
    }

    private void publish(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf msg, int mi, int hl, int tl) {
        ConnectOptions o = options;
        if (o.pedantic() && !NatsSubjects.isValidPublishSubject(line, si, sl)) {
            err(NatsErrors.INVALID_PUBLISH_SUBJECT);
        }
        if (permissions != NatsPermissions.ALL && !permissions.canPublish(line, si, sl)
                && (responses == null || !responses.consume(line.toString(si, sl, StandardCharsets.UTF_8)))) {
            // nats-server answers, drops the message and keeps the connection.
            String subject = line.toString(si, sl, StandardCharsets.UTF_8);
            logged(() -> AUTH_LOG.info("nats client {} ({}) publish permission violation on {}", id, remoteAddress(), subject));
            err(NatsErrors.publishPermissionViolation(subject));
            return;
        }
        ok();
        countPublish(tl);
        Faults faults = server.faults;
        if (faults.active() && faults.dropPublish(line, si, sl)) {
            // Lost on purpose by a test: no receivers, and no no-responders answer either, so a
            // requester sees what a lost message looks like (a timeout).
            return;
        }
        ByteBuf reply = rl > 0 ? line : null;
        int receivers = server.broker.publish(line, si, sl, reply, ri, rl, msg, mi, hl, tl, this, loop);
        if (receivers == 0 && loop.leafForwards() == 0 && reply != null && o.noResponders() && o.headers()) {
            noResponders(line, ri, rl);
        }
    }

    /** nats-server answers a request nobody can serve with a 503 status to the requester's own inbox subscriptions. */
    private void noResponders(ByteBuf reply, int ri, int rl) {
        for (Subscription s : subs.values()) {
            if (NatsSubjects.matches(s.subject, reply, ri, rl)) {
                NatsEncoder.noResponders(outbound.buffer(64 + rl), reply, ri, rl, s.sid);
            }
        }
    }

    @Override
    public void onSub(ByteBuf line, int si, int sl, int qi, int ql, int sidi, int sidl) {
        if (!NatsSubjects.isValidSubscriptionSubject(line, si, sl) || (ql > 0 && !NatsSubjects.isValidQueueName(line, qi, ql))) {
            err(NatsErrors.INVALID_SUBJECT);
            return;
        }
        if (permissions != NatsPermissions.ALL && !permissions.canSubscribe(line, si, sl)) {
            String subject = line.toString(si, sl, StandardCharsets.UTF_8);
            String queue = ql > 0 ? line.toString(qi, ql, StandardCharsets.UTF_8) : null;
            logged(() -> AUTH_LOG.info("nats client {} ({}) subscription permission violation on {}", id, remoteAddress(), subject));
            err(NatsErrors.subscriptionPermissionViolation(subject, queue));
            return;
        }
        if (server.maxSubscriptions > 0 && subs.size() >= server.maxSubscriptions) {
            limitHit(Limit.MAX_SUBSCRIPTIONS, "maximum subscriptions exceeded");
            err(NatsErrors.MAXIMUM_SUBSCRIPTIONS_EXCEEDED);
            return;
        }
        SubjectKey sid = SubjectKey.of(line, sidi, sidl);
        if (!subs.containsKey(sid)) {
            Subscription s = new Subscription(this, SubscriptionKind.NATS, copy(line, si, sl), ql > 0 ? copy(line, qi, ql) : null, sid.bytes());
            subs.put(sid, s);
            subscriptionCount = subs.size();
            server.broker.index().add(s);
        }
        ok();
    }

    @Override
    public void onUnsub(ByteBuf line, int sidi, int sidl, int max) {
        SubjectKey sid = SubjectKey.of(line, sidi, sidl);
        Subscription s = subs.get(sid);
        if (s != null) {
            if (max > 0) {
                s.maxMessages(max);
            }
            if (max <= 0 || s.delivered() >= max) {
                subs.remove(sid);
                subscriptionCount = subs.size();
                server.broker.index().remove(s);
            }
        }
        ok();
    }

    @Override
    public void subscriptionExhausted(Subscription s) {
        Runnable forget = () -> {
            subs.remove(new SubjectKey(s.sid), s);
            subscriptionCount = subs.size();
        };
        if (channel.eventLoop().inEventLoop()) {
            forget.run();
        } else {
            channel.eventLoop().execute(forget);
        }
    }

    @Override
    public void onPing() {
        NatsEncoder.pong(outbound.buffer(8));
    }

    @Override
    public void onPong() {
        pingsOut = 0;
    }

    private static byte[] copy(ByteBuf b, int index, int length) {
        byte[] out = new byte[length];
        b.getBytes(index, out);
        return out;
    }

    private String ip() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }

    // ---- ClientInfo ----

    @Override
    public String protocol() {
        return "nats";
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public int subscriptionCount() {
        return subscriptionCount;
    }

}
