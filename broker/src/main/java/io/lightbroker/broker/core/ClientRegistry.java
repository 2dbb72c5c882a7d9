package io.lightbroker.broker.core;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every open client connection of every protocol, by id; ids are unique across protocols. */
public final class ClientRegistry {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, ClientInfo> clients = new ConcurrentHashMap<>();

    public long nextId() {
        return ids.incrementAndGet();
    }

    public void add(ClientInfo c) {
        clients.put(c.clientId(), c);
    }

    public void remove(ClientInfo c) {
        clients.remove(c.clientId(), c);
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
        int n = 0;
        for (ClientInfo c : clients.values()) {
            if (c.protocol().equals(protocol)) {
                n++;
            }
        }
        return n;
    }
}
