package io.lightbroker.broker.core;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Every open client connection of every protocol, by id; ids are unique across protocols. */
public final class ClientRegistry {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, ClientInfo> clients = new ConcurrentHashMap<>();
    /**
     * Open connections per protocol, kept with the map so that the per-protocol limit checked on
     * every accept (under the lock below) does not walk every connection.
     */
    private final ConcurrentHashMap<String, AtomicInteger> perProtocol = new ConcurrentHashMap<>();

    public long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * Registers {@code c} unless {@code max} clients are open already: of every protocol when
     * {@code protocol} is null, else of that protocol. Returns false, registering nothing, when
     * there is no room.
     *
     * <p>Connections are accepted on several event loops at once. With the check apart from the
     * add, two loops could both see the last free place and both take it (a burst of 60 NATS
     * connections with room for 3 admitted 4: ConnectionFloodTest). The lock makes check and add
     * one step; {@link #remove} needs none, since a removal only frees room.
     */
    public synchronized boolean addIfBelow(ClientInfo c, int max, String protocol) {
        int open = protocol == null ? clients.size() : count(protocol);
        if (open >= max) {
            return false;
        }
        clients.put(c.clientId(), c);
        perProtocol.computeIfAbsent(c.protocol(), p -> new AtomicInteger()).incrementAndGet();
        return true;
    }

    public void remove(ClientInfo c) {
        if (clients.remove(c.clientId(), c)) {
            perProtocol.get(c.protocol()).decrementAndGet();
        }
    }

    public ClientInfo get(long id) {
        return clients.get(id);
    }

    public Collection<ClientInfo> all() {
        return clients.values();
    }

    public int size() {
        return clients.size();
    }

    public int count(String protocol) {
        AtomicInteger n = perProtocol.get(protocol);
        return n == null ? 0 : n.get();
    }
}
