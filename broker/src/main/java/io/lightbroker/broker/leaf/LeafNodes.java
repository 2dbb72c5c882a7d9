package io.lightbroker.broker.leaf;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionIndex;
import io.lightbroker.broker.leaf.InterestMapping.Interest;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local interest a leaf node announces to its hub, kept as counts per (subject, queue) so
 * that the hub hears what nats-server's own leaf would say: {@code LS+ subject} when a subject's
 * first local subscription arrives and {@code LS- subject} when its last one goes; for a queue
 * group, {@code LS+ subject queue weight} at every change of its member count and
 * {@code LS- subject queue} when it has none.
 *
 * <p>Threading: {@link #changed} is called by the subscription index under its lock, in the
 * order subscriptions change; this object's monitor orders it against a link going live, which
 * takes the whole set at once ({@link #goLive}). The lock order is index, then this; nothing here
 * calls into the index.
 */
public final class LeafNodes implements SubscriptionIndex.InterestListener {
    private final Map<Interest, int[]> counts = new HashMap<>();
    private final List<LeafLink> links = new ArrayList<>();

    /**
     * The leaf links of {@code leaf-remotes} (one failover list, so one link), started and
     * listening to the index; null when none are configured.
     */
    public static LeafNodes start(Broker broker, Config config,
                                  EventLoopGroup group, Class<? extends Channel> channelClass,
                                  String serverId) {
        List<LeafRemote> remotes = config.get(Settings.LEAF_REMOTES);
        if (remotes.isEmpty()) {
            return null;
        }
        String user = config.get(Settings.LEAF_USER);
        String password = config.get(Settings.LEAF_PASSWORD);
        String token = config.get(Settings.LEAF_TOKEN);
        List<LeafRemote> urls = new ArrayList<>();
        for (LeafRemote r : remotes) {
            urls.add(r.withDefaultCredentials(user, password, token));
        }
        if (config.get(Settings.LEAF_RANDOMIZE)) {
            Collections.shuffle(urls);
        }
        LeafNodes nodes = new LeafNodes();
        LeafLink.Settings settings = new LeafLink.Settings(
                config.get(Settings.LEAF_MAX_PENDING),
                config.get(Settings.NATS_MAX_CONTROL_LINE),
                (int) Math.min(Integer.MAX_VALUE, config.get(Settings.NATS_MAX_PAYLOAD)),
                config.get(Settings.NATS_PING_INTERVAL),
                config.get(Settings.NATS_PING_MAX),
                config.get(Settings.LEAF_RECONNECT_DELAY),
                config.get(Settings.LEAF_CA_FILE));
        LeafLink link = new LeafLink(broker, nodes, urls, group, channelClass, serverId,
                config.get(Settings.SERVER_NAME), settings);
        nodes.add(link);
        // Before any subscription exists, so the counts see every one.
        broker.index().interestListener(nodes);
        link.start();
        return nodes;
    }

    public void close() {
        for (LeafLink l : links()) {
            l.close();
        }
    }

    void add(LeafLink link) {
        synchronized (this) {
            links.add(link);
        }
    }

    public List<LeafLink> links() {
        synchronized (this) {
            return List.copyOf(links);
        }
    }

    @Override
    public void changed(Subscription s, boolean added) {
        Interest i = InterestMapping.of(s);
        if (i == null) {
            return;
        }
        synchronized (this) {
            int[] c = counts.computeIfAbsent(i, k -> new int[1]);
            int before = c[0];
            c[0] += added ? 1 : -1;
            if (c[0] <= 0) {
                counts.remove(i);
            }
            String line;
            if (i.queue() == null) {
                line = before == 0 && added ? "LS+ " + i.subject() : c[0] <= 0 && !added ? "LS- " + i.subject() : null;
            } else {
                line = c[0] > 0 ? "LS+ " + i.subject() + " " + i.queue() + " " + c[0] : "LS- " + i.subject() + " " + i.queue();
            }
            if (line != null) {
                for (LeafLink l : links) {
                    l.announce(line);
                }
            }
        }
    }

    /**
     * Runs {@code live} with every current interest line while no change can slip in between;
     * changes after it reach the link through {@link LeafLink#announce}.
     */
    void goLive(java.util.function.Consumer<List<String>> live) {
        synchronized (this) {
            List<String> lines = new ArrayList<>(counts.size());
            counts.forEach((i, c) -> lines.add(i.queue() == null ? "LS+ " + i.subject() : "LS+ " + i.subject() + " " + i.queue() + " " + c[0]));
            live.accept(lines);
        }
    }

    /** Distinct announced interests, for {@code /leafz}. */
    public int interestCount() {
        synchronized (this) {
            return counts.size();
        }
    }
}
