package io.lightbroker.broker.resp;

import io.lightbroker.broker.auth.RespAcl;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.core.OutputLimits;
import io.lightbroker.resp.RespLimits;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What every RESP session shares: the broker, the RESP settings, the client registry. */
public final class RespServerContext {
    public static final String REDIS_VERSION = "7.0.15";

    final Broker broker;
    final Config config;
    final RespLimits limits;
    final OutputLimits outputLimits;
    /** The RESP users: resp-users or resp-acl-file, with requirepass as the default user's password. */
    final RespAcl acl;
    final int maxSubscriptions;
    final long authTimeoutMillis;
    /** Publish-side fault injection (embedded API); inert unless a test arms it. */
    final Faults faults;
    final long startMillis = System.currentTimeMillis();
    volatile int port;
    private final ConcurrentHashMap<Long, RespSession> clients = new ConcurrentHashMap<>();
    final LongAdder commandsProcessed = new LongAdder();
    final AtomicLong rejectedConnections = new AtomicLong();

    public RespServerContext(Broker broker, Config config, Faults faults) {
        this.broker = broker;
        this.faults = faults;
        this.config = config;
        this.limits = new RespLimits(config.get(Settings.RESP_MAX_BULK_LEN),
                config.get(Settings.RESP_MAX_MULTIBULK_LEN),
                (int) Math.min(Integer.MAX_VALUE, config.get(Settings.RESP_MAX_INLINE_LEN)));
        this.outputLimits = new OutputLimits(config.get(Settings.RESP_OUTPUT_HARD),
                config.get(Settings.RESP_OUTPUT_SOFT), config.get(Settings.RESP_OUTPUT_SOFT_SECONDS));
        this.acl = acl(config);
        this.maxSubscriptions = config.get(Settings.RESP_MAX_SUBSCRIPTIONS);
        this.authTimeoutMillis = config.get(Settings.RESP_AUTH_TIMEOUT);
    }

    /** The RESP users as configured: resp-users or resp-acl-file, then requirepass for the default user. */
    public static RespAcl acl(Config config) {
        RespAcl users = config.value(Settings.RESP_ACL_FILE).raw().isBlank() ? config.get(Settings.RESP_USERS) : config.get(Settings.RESP_ACL_FILE);
        return users.withRequirePass(config.get(Settings.REQUIREPASS));
    }

    /** The bound port, once known (INFO's tcp_port). */
    public void port(int port) {
        this.port = port;
    }

    /** Registers the session unless {@code maxClients} connections of any protocol are open; false when refused. */
    boolean register(RespSession s, int maxClients) {
        if (!broker.clients().addIfBelow(s, maxClients, null)) {
            return false;
        }
        clients.put(s.clientId(), s);
        return true;
    }

    void unregister(RespSession s) {
        clients.remove(s.clientId());
        broker.clients().remove(s);
    }

    public Collection<RespSession> clients() {
        return clients.values();
    }

    public int clientCount() {
        return clients.size();
    }

}
