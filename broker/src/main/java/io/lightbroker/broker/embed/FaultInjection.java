package io.lightbroker.broker.embed;

import io.lightbroker.broker.core.ClientInfo;
import io.lightbroker.broker.core.ClientRegistry;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.core.Outbound;
import io.lightbroker.broker.core.Subscriber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults a test injects to see how the code under test copes: slow delivery to one
 * connection, lost messages, dropped connections. Connections are named by the id the broker
 * gave them or by the name the client announced (NATS {@code CONNECT name}, e.g. jnats
 * {@code Options.connectionName}; RESP {@code CLIENT SETNAME}, e.g. Lettuce
 * {@code RedisURI.withClientName}). Names arrive with the client's first commands, so
 * {@link #awaitClient} helps right after a connect.
 *
 * <p><b>Cost.</b> With no fault armed, the broker pays one volatile read per publish (drop
 * rules, {@link Faults}) and one per delivery to a connection (delay,
 * {@code Outbound.delayEachMessage}); nothing else.
 *
 * <p>Thread-safe; every method takes effect at once, from any thread.
 */
public final class FaultInjection {
    private final ClientRegistry clients;
    private final Faults faults;
    private final Set<ClientInfo> slowed = ConcurrentHashMap.newKeySet();

    public FaultInjection(ClientRegistry clients, Faults faults) {
        this.clients = clients;
        this.faults = faults;
    }

    /**
     * Makes every message to the connection wait {@code delayPerMessage} longer than the one
     * before it (commands' replies are not delayed). The waiting bytes count against the
     * connection's output budget, so a long delay under load ends in a slow-consumer disconnect,
     * as a really slow reader would. {@link Duration#ZERO} lifts it.
     *
     * @return whether such a connection exists
     */
    public boolean slowDown(long clientId, Duration delayPerMessage) {
        ClientInfo c = clients.get(clientId);
        return c != null && slowDown(c, delayPerMessage);
    }

    /** {@link #slowDown(long, Duration)} for every connection with this name; returns how many. */
    public int slowDown(String clientName, Duration delayPerMessage) {
        int n = 0;
        for (ClientInfo c : named(clientName)) {
            if (slowDown(c, delayPerMessage)) {
                n++;
            }
        }
        return n;
    }

    private boolean slowDown(ClientInfo c, Duration delay) {
        if (!(c instanceof Subscriber s)) {
            return false;
        }
        Outbound out = s.outbound();
        if (out == null) {
            return false;
        }
        long nanos = delay.toNanos();
        out.delayEachMessage(nanos);
        if (nanos > 0) {
            slowed.add(c);
        } else {
            slowed.remove(c);
        }
        return true;
    }

    /**
     * Loses the next {@code n} messages published on subjects matching {@code subjectFilter}
     * (NATS wildcards; a RESP channel matches when it is the same literal), by any protocol:
     * they reach no subscriber. The RESP publisher is told 0 receivers; a NATS request gets no
     * no-responders answer, so it times out as a lost request does.
     */
    public FaultInjection dropNext(String subjectFilter, int n) {
        Objects.requireNonNull(subjectFilter, "subjectFilter");
        faults.dropNext(subjectFilter.getBytes(StandardCharsets.UTF_8), n);
        return this;
    }

    /** Publishes lost to {@link #dropNext} so far. */
    public long droppedPublishes() {
        return faults.dropped();
    }

    /**
     * Closes the connection with this id, as if the network dropped it (no error is sent first).
     *
     * @return whether such a connection existed
     */
    public boolean kill(long clientId) {
        ClientInfo c = clients.get(clientId);
        if (c == null) {
            return false;
        }
        c.kill();
        return true;
    }

    /** Closes every connection with this name; returns how many. */
    public int kill(String clientName) {
        List<ClientInfo> victims = named(clientName);
        victims.forEach(ClientInfo::kill);
        return victims.size();
    }

    /** Closes every client connection of one protocol ({@code "resp"} or {@code "nats"}), or of all when null. */
    public int killAll(String protocol) {
        int n = 0;
        for (ClientInfo c : clients.all()) {
            if (protocol == null || protocol.equals(c.protocol())) {
                c.kill();
                n++;
            }
        }
        return n;
    }

    /** The open connections (a snapshot). */
    public List<ClientInfo> clients() {
        return new ArrayList<>(clients.all());
    }

    /**
     * Waits for a connection with this name to be registered (the name comes with the client's
     * CONNECT or CLIENT SETNAME, a moment after the connect).
     *
     * @throws AssertionError when none shows up in time
     */
    public ClientInfo awaitClient(String clientName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ClientInfo> found = named(clientName);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no client named '" + clientName + "' connected within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Lifts every fault: drop rules disarmed, delays lifted. Connections already killed stay closed. */
    public void reset() {
        faults.clearDrops();
        for (ClientInfo c : new ArrayList<>(slowed)) {
            slowDown(c, Duration.ZERO);
        }
    }

    private List<ClientInfo> named(String name) {
        List<ClientInfo> out = new ArrayList<>();
        for (ClientInfo c : clients.all()) {
            if (name.equals(c.name())) {
                out.add(c);
            }
        }
        return out;
    }
}
