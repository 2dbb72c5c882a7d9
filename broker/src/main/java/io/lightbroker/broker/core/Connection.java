package io.lightbroker.broker.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.MDC;

/**
 * What every client connection has, whatever its protocol: an id unique across protocols, its
 * channel, event loop and {@link Outbound}, and the counters the admin API reads through
 * {@link ClientInfo}. The protocol sessions extend it.
 *
 * <p>Threading: fields are written on the connection's event loop; the {@link ClientInfo}
 * getters may be called from any thread and see single values, possibly a moment stale.
 */
public abstract class Connection extends ChannelInboundHandlerAdapter implements Subscriber, ClientInfo {
    protected final long id;
    protected final long startMillis = System.currentTimeMillis();
    protected volatile long lastActivityMillis = startMillis;
    protected Channel channel;
    protected Outbound outbound;
    protected LoopContext loop;
    private long msgsIn;
    private long bytesIn;

    protected Connection(long id) {
        this.id = id;
    }

    /** Loop thread, from {@code channelActive}: binds the connection to its channel and loop. */
    protected void attach(Channel ch, Broker broker, OutputLimits limits, Outbound.SlowConsumerHandler slow) {
        channel = ch;
        loop = broker.loopContext(ch.eventLoop());
        outbound = new Outbound(ch, loop, limits, broker.stats(), slow);
        broker.stats().connectionsTotal.increment();
    }

    public void countPublish(int payloadBytes) {
        msgsIn++;
        bytesIn += payloadBytes;
    }

    @Override
    public Outbound outbound() {
        return outbound;
    }

    @Override
    public long clientId() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return channel == null ? "" : format(channel.remoteAddress());
    }

    public String localAddress() {
        return channel == null ? "" : format(channel.localAddress());
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    @Override
    public long pendingBytes() {
        return outbound == null ? 0 : outbound.pendingBytes();
    }

    @Override
    public long msgsIn() {
        return msgsIn;
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long msgsOut() {
        return outbound == null ? 0 : outbound.msgsOut();
    }

    @Override
    public long bytesOut() {
        return outbound == null ? 0 : outbound.bytesOut();
    }

    @Override
    public void kill() {
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Runs a logging call with the connection's {@code client_id}, {@code remote} and
     * {@code protocol} in the MDC, so JSON log lines carry them as fields. For connection events
     * (connect, close, errors, auth failures, slow consumers), never for messages.
     */
    public void logged(Runnable log) {
        MDC.put("client_id", Long.toString(id));
        MDC.put("remote", remoteAddress());
        MDC.put("protocol", protocol());
        try {
            log.run();
        } finally {
            MDC.remove("client_id");
            MDC.remove("remote");
            MDC.remove("protocol");
        }
    }

    /** {@code ip:port}, the way Redis and nats-server print addresses. */
    public static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    /**
     * Loop thread, after a closing connection removed its subscriptions: drops this loop's cached
     * match results if they are stale, so they no longer keep the connection reachable.
     */
    protected void releaseCachedMatches(Broker broker) {
        if (loop != null) {
            loop.cache.clearIfStale(broker.index().generation());
        }
    }
}
