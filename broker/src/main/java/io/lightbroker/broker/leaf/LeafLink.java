package io.lightbroker.broker.leaf;

import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.RateLimitedLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leaf-node remote: keeps a link to one hub of a NATS cluster, as nats-server's
 * {@code leafnodes { remotes }} does. It dials the hub URLs in turn, and after a lost or failed
 * connection waits {@code leaf-reconnect-delay}, doubling per failure up to 30 s, with jitter;
 * 30 s at once after the hub reports a loop or the same cluster name (as nats-server does).
 * Every new connection announces the whole local interest again; the hub's interest from the
 * previous connection stays in the index until then, so messages for it are counted as
 * dropped while the link is down, and local delivery never waits for the link.
 *
 * <p>Threading: connection attempts and their outcome run on event loops; the statistics are
 * read by the admin API from any thread. {@link #announce} is called with the
 * {@link LeafNodes} monitor held.
 */
public final class LeafLink {
    private static final Logger LOG = LoggerFactory.getLogger(LeafLink.class);
    private static final RateLimitedLog WARN = new RateLimitedLog(LOG, 2);
    static final long MAX_BACKOFF_MILLIS = 30_000;

    public enum State { CONNECTING, CONNECTED, DISCONNECTED, CLOSED }

    final Broker broker;
    final LeafNodes nodes;
    final List<LeafRemote> urls;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    final String serverId;
    final String serverName;
    final long maxPending;
    final int maxControlLine;
    final int maxPayload;
    final long pingIntervalMillis;
    final int pingMax;
    private final long reconnectDelayMillis;
    private final String caFile;
    /** The loop-detection subject this node announces ({@code $LDS.<random>}), as a real leaf does. */
    final String loopDetectionSubject;

    private volatile State state = State.DISCONNECTED;
    /** The connection whose CONNECT the hub accepted; changed under the {@link LeafNodes} monitor. */
    private volatile LeafConnection live;
    private LeafConnection previous;
    private int nextUrl;
    private int failures;
    private volatile SslContext tls;

    private volatile LeafRemote current;
    private volatile long connectedSinceMillis;
    private volatile String lastError;
    private volatile long rttNanos;
    private volatile String hubServerId;
    private volatile String hubServerName;
    final AtomicLong reconnects = new AtomicLong();
    final LongAdder msgsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder msgsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder drops = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();

    LeafLink(Broker broker, LeafNodes nodes, List<LeafRemote> urls, EventLoopGroup group, Class<? extends Channel> channelClass,
             String serverId, String serverName, Settings s) {
        this.broker = broker;
        this.nodes = nodes;
        this.urls = List.copyOf(urls);
        this.group = group;
        this.channelClass = channelClass;
        this.serverId = serverId;
        this.serverName = serverName;
        this.maxPending = s.maxPending();
        this.maxControlLine = s.maxControlLine();
        this.maxPayload = s.maxPayload();
        this.pingIntervalMillis = s.pingIntervalMillis();
        this.pingMax = s.pingMax();
        this.reconnectDelayMillis = Math.max(10, s.reconnectDelayMillis());
        this.caFile = s.caFile();
        this.loopDetectionSubject = "$LDS." + randomToken(22);
    }

    /** What a link takes from the configuration. */
    record Settings(long maxPending, int maxControlLine, int maxPayload, long pingIntervalMillis, int pingMax,
                    long reconnectDelayMillis, String caFile) {}

    void start() {
        connect();
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        LeafRemote r = urls.get(Math.floorMod(nextUrl, urls.size()));
        current = r;
        state = State.CONNECTING;
        LeafConnection conn = new LeafConnection(this, r, broker.clients().nextId());
        new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(conn)
                .connect(r.host(), r.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        failed("cannot connect to " + r.address() + ": " + message(f.cause()), false);
                    }
                });
    }

    /** A connection attempt or a connection ended; try again after the back-off. */
    void failed(String error, boolean longBackoff) {
        if (state == State.CLOSED) {
            return;
        }
        if (error != null) {
            lastError = error;
            WARN.warn("leaf link to {}: {}", current == null ? "?" : current.redacted(), error);
        }
        if (state == State.CLOSED) {
            return;
        }
        state = State.DISCONNECTED;
        nextUrl++;
        long delay;
        if (longBackoff) {
            delay = MAX_BACKOFF_MILLIS;
        } else {
            long base = reconnectDelayMillis << Math.min(failures, 12);
            delay = Math.min(MAX_BACKOFF_MILLIS, base);
            // Jitter: +-20 %, so that many nodes that lost one hub do not return in step.
            delay += (long) (delay * (ThreadLocalRandom.current().nextDouble() * 0.4 - 0.2));
        }
        failures++;
        group.next().schedule(this::connect, Math.max(1, delay), TimeUnit.MILLISECONDS);
    }

    /** Loop thread of {@code conn}: the hub accepted it; announce all local interest. */
    void established(LeafConnection conn, String hubId, String hubName) {
        failures = 0;
        if (connectedSinceMillis != 0 || previous != null) {
            reconnects.incrementAndGet();
        }
        hubServerId = hubId;
        hubServerName = hubName;
        connectedSinceMillis = System.currentTimeMillis();
        state = State.CONNECTED;
        lastError = null;
        LeafConnection old = previous;
        previous = conn;
        if (old != null) {
            old.removeHubInterest();
        }
        nodes.goLive(lines -> {
            conn.writeBurst(lines);
            live = conn;
        });
        LOG.info("leaf link connected to {} (hub {})", current.redacted(), hubName == null ? hubId : hubName);
    }

    /** Loop thread of {@code conn}: it closed. */
    void lost(LeafConnection conn, String error, boolean longBackoff) {
        boolean wasLive;
        synchronized (nodes) {
            wasLive = live == conn;
            if (wasLive) {
                live = null;
            }
        }
        if (wasLive && state != State.CLOSED) {
            connectedSinceMillis = 0;
            LOG.warn("leaf link to {} lost{}", current.redacted(), error == null ? "" : ": " + error);
            if (error != null) {
                lastError = error;
            }
            failed(null, longBackoff);
            return;
        }
        failed(error, longBackoff);
    }

    /** Called under the {@link LeafNodes} monitor, in the order local interest changed. */
    void announce(String line) {
        LeafConnection c = live;
        if (c != null) {
            c.sendLine(line);
        }
    }

    void rtt(long nanos) {
        rttNanos = nanos;
    }

    SslContext tls() throws SSLException {
        SslContext t = tls;
        if (t == null) {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (caFile != null && !caFile.isEmpty()) {
                b.trustManager(new File(caFile));
            }
            t = tls = b.build();
        }
        return t;
    }

    public void close() {
        state = State.CLOSED;
        LeafConnection c;
        synchronized (nodes) {
            c = live;
            live = null;
        }
        if (c != null) {
            c.kill();
        }
        LeafConnection p = previous;
        if (p != null) {
            p.removeHubInterest();
        }
    }

    // ---- read by the admin API and metrics ----

    public State state() {
        return state;
    }

    public String url() {
        LeafRemote r = current;
        return r == null ? urls.get(0).redacted() : r.redacted();
    }

    public long connectedSinceMillis() {
        return connectedSinceMillis;
    }

    public String lastError() {
        return lastError;
    }

    public long rttNanos() {
        return rttNanos;
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long msgsIn() {
        return msgsIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long msgsOut() {
        return msgsOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long drops() {
        return drops.sum();
    }

    public long slowConsumers() {
        return slowConsumers.sum();
    }

    public String hubServerId() {
        return hubServerId;
    }

    public String hubServerName() {
        return hubServerName;
    }

    /** The hub's interest held now (subjects and queue groups it announced). */
    public int hubSubscriptions() {
        LeafConnection c = live;
        return c == null ? 0 : c.subscriptionCount();
    }

    public List<String> hubSubjects() {
        LeafConnection c = live;
        return c == null ? List.of() : c.hubSubjects();
    }

    /** {host, port} of the hub this link uses or last tried. */
    public String[] hubAddress() {
        LeafRemote r = current == null ? urls.get(0) : current;
        return new String[] {r.host(), Integer.toString(r.port())};
    }

    public String localAddress() {
        LeafConnection c = live;
        return c == null ? "" : c.localAddress();
    }

    private static String message(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    private static String randomToken(int n) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
