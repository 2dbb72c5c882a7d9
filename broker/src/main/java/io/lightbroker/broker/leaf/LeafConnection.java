package io.lightbroker.broker.leaf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.core.Connection;
import io.lightbroker.broker.core.LeafSubscriber;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.OutputLimits;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionKind;
import io.lightbroker.nats.leaf.LeafEncoder;
import io.lightbroker.nats.leaf.LeafParser;
import io.lightbroker.nats.leaf.LeafProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One TCP connection of a {@link LeafLink} to a hub, speaking nats-server 2.9's leaf-node
 * protocol as its own leaf remotes do: the hub's INFO, our CONNECT (no INFO of ours), the hub's
 * second INFO ({@code connect_info}) as the acceptance, then our whole interest as LS+ lines and
 * the hub's as LS+ lines to us, LMSG/HMSG both ways, PING/PONG both ways.
 *
 * <p>The hub's interest lives in the broker's subscription index as {@link SubscriptionKind#LEAF}
 * subscriptions owned by this connection, so a local publish finds it with the same lookup as
 * local subscribers, and the fan-out hands this connection one message per publish
 * ({@link #deliverLeaf}, on the publisher's thread). Messages from the hub are published
 * locally with this connection as their origin: they never go back to the hub.
 *
 * <p>Threading: everything except {@link #deliverLeaf}, {@link #sendLine} and the getters runs on
 * the connection's event loop.
 */
final class LeafConnection extends Connection implements LeafSubscriber, LeafParser.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[][] NO_QUEUES = new byte[0][];
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** nats-server's leaf pings once soon after connecting (for the RTT), then every ping interval. */
    private static final long FIRST_PING_MILLIS = 1_000;

    private final LeafLink link;
    private final LeafRemote remote;
    private final LeafParser parser;
    private final Map<String, Subscription> hubInterest = new ConcurrentHashMap<>();
    private ByteBuf cumulation;
    private boolean infoSeen;
    private volatile boolean accepted;
    private volatile boolean hubHeaders = true;
    private volatile int hubMaxPayload = Integer.MAX_VALUE;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> pingTask;
    private int pingsOutstanding;
    private long pingSentNanos;
    private String closeReason;
    private boolean longBackoff;

    LeafConnection(LeafLink link, LeafRemote remote, long id) {
        super(id);
        this.link = link;
        this.remote = remote;
        this.parser = new LeafParser(Math.max(link.maxControlLine, 64 * 1024), Math.max(link.maxPayload, 64 * 1024 * 1024));
    }

    // ---- lifecycle ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = link.broker.loopContext(channel.eventLoop());
        outbound = new Outbound(channel, loop, new OutputLimits(link.maxPending, 0, 0), link.broker.stats(), this::onSlowConsumer);
        handshakeTimer = channel.eventLoop().schedule(() -> {
            if (!accepted) {
                close("no handshake with the hub within " + HANDSHAKE_TIMEOUT_MILLIS + " ms", false);
            }
        }, HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        accepted = false;
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        cancel(handshakeTimer);
        cancel(pingTask);
        outbound.close();
        link.lost(this, closeReason == null ? "connection closed by the hub" : closeReason, longBackoff);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(cause.getMessage() == null ? cause.toString() : cause.getMessage(), false);
    }

    private void close(String reason, boolean longBackoff) {
        if (closeReason == null) {
            closeReason = reason;
            this.longBackoff = longBackoff;
        }
        channel.close();
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        lastActivityMillis = System.currentTimeMillis();
        try {
            parser.parse(cumulation, this);
        } catch (LeafProtocolException e) {
            close("protocol error from the hub: " + e.getMessage(), false);
        }
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        loop.endOfBatch();
    }

    @Override
    public void info(String json) {
        JsonNode info;
        try {
            info = JSON.readTree(json);
        } catch (Exception e) {
            close("cannot read the hub's INFO: " + e.getMessage(), false);
            return;
        }
        if (!infoSeen) {
            infoSeen = true;
            hubHeaders = info.path("headers").asBoolean(false);
            if (info.has("max_payload")) {
                hubMaxPayload = info.get("max_payload").asInt(Integer.MAX_VALUE);
            }
            if (remote.tls() || info.path("tls_required").asBoolean(false)) {
                startTls(info);
            } else {
                sendConnect(false);
            }
        } else if (info.path("connect_info").asBoolean(false) && !accepted) {
            accepted = true;
            cancel(handshakeTimer);
            link.established(this, info.path("server_id").asText(null), info.path("server_name").asText(null));
            pingTask = channel.eventLoop().schedule(this::sendPing, FIRST_PING_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void startTls(JsonNode info) {
        SslHandler tls;
        try {
            tls = link.tls().newHandler(channel.alloc(), remote.host(), remote.port());
        } catch (Exception e) {
            close("cannot set up TLS: " + e.getMessage(), false);
            return;
        }
        SSLEngine engine = tls.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        channel.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                sendConnect(true);
                loop.flushDirty();
            } else {
                close("TLS handshake with the hub failed: " + f.cause().getMessage(), false);
            }
        });
    }

    /** The CONNECT a nats-server 2.9 leaf sends: no lang or account (the hub refuses them). */
    private void sendConnect(boolean tls) {
        ObjectNode c = JSON.createObjectNode();
        c.put("version", "2.9.10");
        c.put("tls_required", tls);
        c.put("server_id", link.serverId);
        // The hub evicts an older leaf connection with the same name, so every node names itself
        // by its unique server id.
        c.put("name", link.serverId);
        c.put("headers", true);
        if (remote.user() != null) {
            c.put("user", remote.user());
            c.put("pass", remote.password() == null ? "" : remote.password());
        } else if (remote.token() != null) {
            c.put("auth_token", remote.token());
        }
        writeLine("CONNECT " + c);
        outbound.replyWritten();
    }

    @Override
    public void interest(boolean add, String subject, String queue, int weight) {
        if (subject.equals(link.loopDetectionSubject)) {
            close("loop detected: the hub announced this node's own $LDS subject; waiting 30 s", true);
            return;
        }
        String key = queue == null ? subject : subject + " " + queue;
        if (add) {
            // A queue group's weight change repeats LS+; the member is the same.
            if (!hubInterest.containsKey(key)) {
                Subscription s = new Subscription(this, SubscriptionKind.LEAF, subject.getBytes(StandardCharsets.UTF_8),
                        queue == null ? null : queue.getBytes(StandardCharsets.UTF_8), null);
                hubInterest.put(key, s);
                link.broker.index().add(s);
            }
        } else {
            Subscription s = hubInterest.remove(key);
            if (s != null) {
                link.broker.index().remove(s);
            }
        }
    }

    @Override
    public void message(ByteBuf buf, int so, int sl, int ro, int rl, List<String> queues, int mo, int hdr, int total) {
        link.msgsIn.increment();
        link.bytesIn.add(total);
        countPublish(total);
        byte[][] only = NO_QUEUES;
        if (queues != null) {
            only = new byte[queues.size()][];
            for (int i = 0; i < only.length; i++) {
                only[i] = queues.get(i).getBytes(StandardCharsets.UTF_8);
            }
        }
        link.broker.publish(buf, so, sl, rl > 0 ? buf : null, ro, rl, buf, mo, hdr, total, this, loop, only);
    }

    @Override
    public void ping() {
        writeLine("PONG");
        outbound.replyWritten();
    }

    @Override
    public void pong() {
        if (pingsOutstanding > 0) {
            link.rtt(System.nanoTime() - pingSentNanos);
        }
        pingsOutstanding = 0;
    }

    @Override
    public void ok() {
    }

    @Override
    public void err(String text) {
        boolean loopOrCluster = text.contains("Loop detected") || text.contains("same cluster name");
        close("hub error: " + text, loopOrCluster);
    }

    private void sendPing() {
        if (!channel.isActive()) {
            return;
        }
        if (pingsOutstanding >= link.pingMax) {
            close("stale connection: " + pingsOutstanding + " PINGs unanswered", false);
            return;
        }
        pingsOutstanding++;
        pingSentNanos = System.nanoTime();
        writeLine("PING");
        outbound.replyWritten();
        pingTask = channel.eventLoop().schedule(this::sendPing, link.pingIntervalMillis, TimeUnit.MILLISECONDS);
    }

    // ---- outbound ----

    /** Loop thread, under the {@link LeafNodes} monitor: our loop-detection subject and all local interest. */
    void writeBurst(List<String> lines) {
        writeLine("LS+ " + link.loopDetectionSubject);
        for (String l : lines) {
            writeLine(l);
        }
        outbound.replyWritten();
    }

    /**
     * Any thread, under the {@link LeafNodes} monitor: one interest change. It goes through the
     * same queue as messages, so a subscriber's LS+ reaches the hub before any message
     * published after the subscription (a request's reply subject, for one).
     */
    void sendLine(String line) {
        ByteBuf buf = Unpooled.wrappedBuffer((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            outbound.deliver(buf, null);
        } finally {
            // deliver copies or takes a slice of its own; this reference is ours to give back.
            buf.release();
        }
    }

    private void writeLine(String line) {
        LeafEncoder.line(outbound.buffer(line.length() * 3 + 2), line);
    }

    @Override
    public boolean leafReady() {
        return accepted && !outbound.isClosed();
    }

    @Override
    public boolean hubTakesHeaders() {
        return hubHeaders;
    }

    @Override
    public int hubMaxPayload() {
        return hubMaxPayload;
    }

    @Override
    public void leafSent(int bytes) {
        link.msgsOut.increment();
        link.bytesOut.add(bytes);
    }

    @Override
    public void leafDropped() {
        link.drops.increment();
    }

    private void onSlowConsumer(Outbound o, long pending) {
        link.slowConsumers.increment();
        channel.eventLoop().execute(() -> close("slow hub: " + pending + " bytes pending over leaf-max-pending", false));
    }

    /** The new connection is live: the hub's interest announced on this one is gone. */
    void removeHubInterest() {
        for (Subscription s : hubInterest.values()) {
            link.broker.index().remove(s);
        }
        hubInterest.clear();
    }

    List<String> hubSubjects() {
        List<String> out = new ArrayList<>();
        for (Subscription s : hubInterest.values()) {
            out.add(new String(s.subject, StandardCharsets.UTF_8));
        }
        java.util.Collections.sort(out);
        return out;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- ClientInfo ----

    @Override
    public String protocol() {
        return "leaf";
    }

    @Override
    public String name() {
        return remote.address();
    }

    @Override
    public int subscriptionCount() {
        return hubInterest.size();
    }
}
