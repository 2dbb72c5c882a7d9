package io.lightbroker.broker.server;

import io.lightbroker.broker.admin.AdminServer;
import io.lightbroker.broker.admin.ServerView;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.embed.Capture;
import io.lightbroker.broker.embed.FaultInjection;
import io.lightbroker.broker.embed.LocalBus;
import io.lightbroker.broker.embed.LocalSubscription;
import io.lightbroker.broker.embed.Message;
import io.lightbroker.broker.nats.NatsServerContext;
import io.lightbroker.broker.nats.NatsSession;
import io.lightbroker.broker.resp.RespServerContext;
import io.lightbroker.broker.resp.RespSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.handler.ssl.SslContext;
import io.lightbroker.broker.leaf.LeafNodes;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: event loops, listeners and the shared {@link Broker} core. Used by the
 * server's {@code main} and, in-process, by applications and tests:
 *
 * <pre>{@code
 * try (LightBroker broker = LightBroker.builder().respPort(0).natsPort(0).start()) {
 *     String url = broker.respUrl(); // redis://127.0.0.1:<free port>
 *     broker.subscribe("orders.*", m -> ...);        // in-process, NATS subject semantics
 *     broker.publish("orders.new", bytes);           // reaches RESP, NATS and in-process subscribers
 *     Capture all = broker.captured("orders.>");      // what the code under test published
 *     broker.faults().kill("billing-service");        // what happens when its connection drops
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops accepting, flushes what is queued to every client, closes the
 * connections, stops the event loops and the in-process handler threads, and returns with
 * the ports free; it is safe to start and close many brokers in one JVM. The in-process API
 * ({@link #publish}, {@link #subscribe}, {@link #captured}, {@link #faults}) is
 * {@link LocalBus} and {@link FaultInjection}, in package {@code embed}.
 *
 * <p><b>Lifecycle.</b> STARTING (admin port up, {@code /readyz} 503) → READY → DRAINING →
 * CLOSED. {@link #drain()} closes the listeners, runs the {@link #onDrain} hooks (where a
 * protocol tells its clients to go elsewhere, as NATS's lame-duck INFO does), gives the
 * clients {@code drain-grace} to leave, then {@link #close()}s what is left; {@code /readyz}
 * answers 503 from the first step, so a load balancer stops routing before anyone is cut off.
 */
public final class LightBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LightBroker.class);

    private final Config config;
    private final Transport transport;
    private final MultiThreadIoEventLoopGroup acceptGroup;
    private final MultiThreadIoEventLoopGroup ioGroup;
    private final Broker broker;
    private final ChannelGroup listeners = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final String host;
    private int respPort = -1;
    private int natsPort = -1;
    private int respTlsPort = -1;
    /** Leaf-node links to a NATS hub (leaf-remotes), or null. */
    private volatile LeafNodes leafNodes;
    private volatile boolean closed;

    private enum State { STARTING, READY, DRAINING, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final String serverId = newServerId();
    private final long startMillis = System.currentTimeMillis();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final List<Runnable> drainHooks = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private AdminServer admin;
    /** Publish-side fault injection shared by both protocols and the in-process API; inert unless armed. */
    private final Faults faults = new Faults();
    private final LocalBus local;
    private final FaultInjection faultInjection;
    private final List<String> capturesFromStart;
    /** Joined by {@link #close()}, so that no thread of this broker outlives it. */
    private final List<Thread> loopThreads = new CopyOnWriteArrayList<>();

    private LightBroker(Config config) {
        this(config, Builder.DEFAULT_LOCAL_QUEUE_LIMIT, List.of());
    }

    private LightBroker(Config config, int localQueueLimit, List<String> capturesFromStart) {
        this.config = config;
        this.capturesFromStart = capturesFromStart;
        this.transport = Transport.choose(config.get(Settings.TRANSPORT));
        int threads = config.get(Settings.IO_THREADS);
        if (threads == 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        this.acceptGroup = transport.group(1, "lightbroker-accept", loopThreads);
        this.ioGroup = transport.group(threads, "lightbroker-io", loopThreads);
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        // Coalescing holds flushes for microseconds: only on a transport whose timers are that precise.
        this.broker = new Broker(alloc, transport.preciseTimers() ? config.get(Settings.WRITE_COALESCING) : 0);
        this.host = config.get(Settings.BIND);
        this.local = new LocalBus(broker, faults, localQueueLimit);
        this.faultInjection = new FaultInjection(broker.clients(), faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker from a fully resolved configuration (what {@code main} does). */
    public static LightBroker start(Config config) {
        return start(new LightBroker(config));
    }

    private static LightBroker start(LightBroker b) {
        try {
            b.startListeners();
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void startListeners() {
        leafNodes = LeafNodes.start(broker, config, ioGroup, transport.socketChannel(), serverId);
        for (String pattern : capturesFromStart) {
            local.captureFromStart(pattern);
        }
        // Certificates are read before anything listens: a bad one stops the start, not a handshake.
        SslContext respTls = Tls.resp(config);
        SslContext natsTls = Tls.nats(config);
        int port = config.get(Settings.RESP_PORT);
        int tlsPort = config.get(Settings.RESP_TLS_PORT);
        if (port >= 0 || tlsPort >= 0) {
            RespServerContext ctx = new RespServerContext(broker, config, faults);
            if (port >= 0) {
                respPort = listen(port, new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast(new RespSession(ctx));
                    }
                }, "RESP");
                ctx.port(respPort);
            }
            if (tlsPort >= 0) {
                respTlsPort = listen(tlsPort, new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        // As Redis's tls-port: TLS from the first byte, then the same RESP session.
                        ch.pipeline().addLast(respTls.newHandler(ch.alloc()), new RespSession(ctx));
                    }
                }, "RESP-TLS");
            }
        }
        int nport = config.get(Settings.NATS_PORT);
        if (nport >= 0) {
            NatsServerContext nctx = new NatsServerContext(broker, config, serverId, faults, natsTls);
            natsPort = listen(nport, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    clients.add(ch);
                    ch.pipeline().addLast(new NatsSession(nctx));
                }
            }, "NATS");
            nctx.port(natsPort);
            onDrain(nctx::enterLameDuckMode);
        }
        // Last: clients can connect while the admin API (Micrometer, Jackson: a third of the
        // start-up time) comes up.
        int adminPort = config.get(Settings.ADMIN_PORT);
        if (adminPort >= 0) {
            admin = new AdminServer(broker, config, new View());
            String adminHost = AdminExposure.host(config);
            ports.put("admin", admin.start(adminHost, adminPort));
            AdminExposure.warnIfOpen(config, adminHost);
        }
        state.compareAndSet(State.STARTING, State.READY);
        LOG.info("lightbroker {} started ({} transport, {} io threads)", io.lightbroker.broker.Version.VERSION,
                transport.name(), ioGroup.executorCount());
    }

    private int listen(int port, ChannelInitializer<Channel> init, String what) {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(init);
        Channel server;
        try {
            server = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for " + what + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        listeners.add(server);
        int bound = ((InetSocketAddress) server.localAddress()).getPort();
        ports.put(what.toLowerCase(Locale.ROOT), bound);
        LOG.info("{} listening on {}:{}", what, host, bound);
        return bound;
    }

    public Broker broker() {
        return broker;
    }

    public Config config() {
        return config;
    }

    public String host() {
        return host;
    }

    /** The RESP port actually bound, or -1 when the listener is disabled. */
    public int respPort() {
        return respPort;
    }

    /** The leaf-node links, or null when no leaf-remotes are configured. */
    public LeafNodes leafNodes() {
        return leafNodes;
    }

    /** The RESP TLS port ({@code resp-tls-port}) actually bound, or -1 when it is disabled. */
    public int respTlsPort() {
        return respTlsPort;
    }

    /** The NATS port actually bound, or -1 when the listener is disabled. */
    public int natsPort() {
        return natsPort;
    }

    /**
     * {@code nats://host:port} for NATS clients (no credentials in it; pass the token or user
     * to the client as usual).
     *
     * @throws IllegalStateException when the NATS listener is disabled
     */
    public String natsUrl() {
        if (natsPort < 0) {
            throw new IllegalStateException("the NATS listener is disabled; start the broker with natsPort(0)");
        }
        return "nats://" + urlHost() + ":" + natsPort;
    }

    /**
     * {@code redis://host:port} for RESP clients (no password in it).
     *
     * @throws IllegalStateException when the RESP listener is disabled
     */
    public String respUrl() {
        if (respPort < 0) {
            throw new IllegalStateException("the RESP listener is disabled; start the broker with respPort(0)");
        }
        return "redis://" + urlHost() + ":" + respPort;
    }

    /** A wildcard bind address is not something a client can connect to; loopback is. */
    private String urlHost() {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    // ---- in-process API (package embed) ----

    /** Publishes from this JVM, as any client would; returns the receivers (one per queue group). */
    public int publish(String subject, byte[] payload) {
        return local.publish(subject, null, null, payload);
    }

    /** Publishes a UTF-8 string. */
    public int publish(String subject, String payload) {
        return local.publish(subject, null, null, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Publishes with a NATS reply subject. */
    public int publish(String subject, String reply, byte[] payload) {
        return local.publish(subject, reply, null, payload);
    }

    /** Publishes with NATS headers and an optional reply subject (RESP subscribers get the payload only). */
    public int publish(String subject, String reply, Map<String, List<String>> headers, byte[] payload) {
        return local.publish(subject, reply, headers, payload);
    }

    /**
     * Subscribes in-process with NATS subject semantics ({@code *}, {@code >}); the handler runs
     * on the broker's handler threads, never on an event loop, one message at a time per
     * subscription. Close the returned subscription to unsubscribe.
     */
    public LocalSubscription subscribe(String subject, Consumer<Message> handler) {
        return local.subscribe(subject, null, handler);
    }

    /** As {@link #subscribe(String, Consumer)}, as a member of a NATS queue group. */
    public LocalSubscription subscribe(String subject, String queueGroup, Consumer<Message> handler) {
        return local.subscribe(subject, queueGroup, handler);
    }

    /** A NATS request from this JVM: publishes with a fresh inbox and waits for the first reply. */
    public Message request(String subject, byte[] payload, Duration timeout) throws TimeoutException, InterruptedException {
        return local.request(subject, null, payload, timeout);
    }

    /**
     * Records what is published on subjects matching {@code pattern} (NATS wildcards) from now
     * on, or from start if the builder asked for {@link Builder#captureFromStart(String)}.
     */
    public Capture captured(String pattern) {
        return local.capture(pattern);
    }

    /** Fault injection: slow a connection down, lose messages, drop connections. */
    public FaultInjection faults() {
        return faultInjection;
    }

    /** The in-process side, for what the shortcuts above do not cover. */
    public LocalBus local() {
        return local;
    }

    /** The admin HTTP port actually bound, or -1 when the admin listener is disabled. */
    public int adminPort() {
        return ports.getOrDefault("admin", -1);
    }

    /** The socket transport in use: {@code epoll}, {@code io_uring} or {@code nio} (see the {@code transport} setting). */
    public String transport() {
        return transport.name();
    }

    /** This run's server id ({@code server_id} in the admin API; NATS INFO should use the same). */
    public String serverId() {
        return serverId;
    }

    /** Started and not draining. */
    public boolean ready() {
        return state.get() == State.READY;
    }

    /** Runs {@code hook} when a drain starts, after the listeners closed (NATS: send the lame-duck INFO). */
    public void onDrain(Runnable hook) {
        drainHooks.add(hook);
    }

    /**
     * Starts a graceful drain and returns at once (safe from an event loop or the admin
     * thread); the future completes when the broker is closed. Later calls return the same future.
     */
    public CompletableFuture<Void> drain() {
        if (state.compareAndSet(State.READY, State.DRAINING) || state.compareAndSet(State.STARTING, State.DRAINING)) {
            Thread t = new Thread(this::runDrain, "lightbroker-drain");
            t.setDaemon(true);
            t.start();
        }
        return stopped;
    }

    /** Completes when the broker has closed, by {@link #drain()} or {@link #close()}. */
    public CompletableFuture<Void> drained() {
        return stopped;
    }

    private void runDrain() {
        long grace = config.get(Settings.DRAIN_GRACE);
        listeners.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("draining: listeners closed; {} clients have {} ms to disconnect", clients.size(), grace);
        for (Runnable hook : drainHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("drain hook failed", e);
            }
        }
        CountDownLatch gone = new CountDownLatch(clients.size());
        for (Channel c : clients) {
            c.closeFuture().addListener(f -> gone.countDown());
        }
        try {
            if (!gone.await(grace, TimeUnit.MILLISECONDS)) {
                LOG.info("drain grace over: closing {} remaining clients", clients.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.set(State.CLOSED);
        listeners.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Netty's close fails writes still queued in the channel; an empty write completes only
        // after everything before it went out, so waiting for it is the flush.
        // Writes a loop holds back for its next flush go out first (loop tasks run in order).
        broker.flushAll();
        clients.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly(2, TimeUnit.SECONDS);
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        LeafNodes leafs = leafNodes;
        if (leafs != null) {
            leafs.close();
        }
        if (admin != null) {
            admin.close();
        }
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        local.close();
        joinAll(loopThreads, 2_000);
        LOG.info("lightbroker stopped");
        stopped.complete(null);
    }

    /** Waits (bounded) for threads that have been told to stop; a no-op for the calling thread itself. */
    static void joinAll(List<Thread> threads, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (t == Thread.currentThread() || left <= 0) {
                continue;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** nats-server style: 'N' and 55 more characters of base32 (ours are random, not a key). */
    private static String newServerId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder("N");
        for (int i = 0; i < 55; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private final class View implements ServerView {
        @Override
        public String serverId() {
            return serverId;
        }

        @Override
        public long startMillis() {
            return startMillis;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public int port(String listener) {
            return ports.getOrDefault(listener, -1);
        }

        @Override
        public boolean ready() {
            return LightBroker.this.ready();
        }

        @Override
        public void drain() {
            LightBroker.this.drain();
        }

        @Override
        public List<io.lightbroker.broker.leaf.LeafLink> leafLinks() {
            LeafNodes n = leafNodes;
            return n == null ? List.of() : n.links();
        }
    }

    /** In-process configuration; unset settings keep the table's defaults except the ports. */
    public static final class Builder {
        static final int DEFAULT_LOCAL_QUEUE_LIMIT = 65_536;
        private final Map<String, String> settings = new HashMap<>();
        private final List<String> captures = new ArrayList<>();
        private int localQueueLimit = DEFAULT_LOCAL_QUEUE_LIMIT;

        private Builder() {
            settings.put(Settings.RESP_PORT.name(), "0");
            settings.put(Settings.NATS_PORT.name(), "-1");
            settings.put(Settings.ADMIN_PORT.name(), "-1");
        }

        public Builder bind(String host) {
            return setting(Settings.BIND.name(), host);
        }

        public Builder respPort(int port) {
            return setting(Settings.RESP_PORT.name(), Integer.toString(port));
        }

        public Builder natsPort(int port) {
            return setting(Settings.NATS_PORT.name(), Integer.toString(port));
        }

        public Builder adminPort(int port) {
            return setting(Settings.ADMIN_PORT.name(), Integer.toString(port));
        }

        public Builder requirePass(String password) {
            return setting(Settings.REQUIREPASS.name(), password);
        }

        /** The token NATS clients must send in CONNECT ({@code nats-auth-token}). */
        public Builder natsToken(String token) {
            return setting(Settings.NATS_AUTH_TOKEN.name(), token);
        }

        /** Event loop threads ({@code io-threads}); tests rarely need more than one. */
        public Builder ioThreads(int threads) {
            return setting(Settings.IO_THREADS.name(), Integer.toString(threads));
        }

        /** Starts a {@link Capture} of {@code pattern} before the listeners open; {@code captured(pattern)} returns it. */
        public Builder captureFromStart(String pattern) {
            captures.add(pattern);
            return this;
        }

        /** Messages an in-process subscriber may have waiting before further ones are dropped (default 65536; rounded up to a power of two). */
        public Builder localQueueLimit(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("localQueueLimit must be at least 1");
            }
            this.localQueueLimit = messages;
            return this;
        }

        /** Any setting of the table by name, e.g. {@code setting("resp-output-buffer-hard-limit", "1mb")}. */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public LightBroker start() {
            Config.Builder cb = Config.builder();
            settings.forEach((k, v) -> {
                io.lightbroker.broker.config.Setting<?> s = Settings.byName(k);
                if (s == null) {
                    throw new io.lightbroker.broker.config.ConfigException("unknown setting " + k);
                }
                cb.set(s, v, Config.Source.API, "embedded builder");
            });
            return LightBroker.start(new LightBroker(cb.build(), localQueueLimit, List.copyOf(captures)));
        }
    }
}
