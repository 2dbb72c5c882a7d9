package io.lightbroker.broker.resp;

import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.core.SubjectKey;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionIndex;
import io.lightbroker.broker.core.SubscriptionKind;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespPubSubFrames;
import io.lightbroker.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB, with Redis 7.0's replies. */
final class PubSubCommands {
    private static final byte[] SUBSCRIBE = bytes("subscribe");
    private static final byte[] UNSUBSCRIBE = bytes("unsubscribe");
    private static final byte[] PSUBSCRIBE = bytes("psubscribe");
    private static final byte[] PUNSUBSCRIBE = bytes("punsubscribe");
    private static final byte[] SSUBSCRIBE = bytes("ssubscribe");
    private static final byte[] SUNSUBSCRIBE = bytes("sunsubscribe");

    private PubSubCommands() {}

    static void publish(RespSession s, RespArgs a) {
        s.countPublish(a.length(2));
        Faults faults = s.server.faults;
        // A publish a test chose to lose (fault injection) reaches nobody and answers 0.
        int n = faults.active() && faults.dropPublish(a.buffer(1), a.offset(1), a.length(1)) ? 0
                : s.server.broker.publish(a.buffer(1), a.offset(1), a.length(1), a.buffer(2), a.offset(2), a.length(2), s, s.loop());
        RespWriter.integer(s.out(), n);
    }

    static void spublish(RespSession s, RespArgs a) {
        s.countPublish(a.length(2));
        int n = s.server.broker.publishShard(a.buffer(1), a.offset(1), a.length(1), a.buffer(2), a.offset(2), a.length(2), s.loop());
        RespWriter.integer(s.out(), n);
    }

    static void subscribe(RespSession s, RespArgs a) {
        subscribe(s, a, s.channels, SubscriptionKind.RESP_CHANNEL, SUBSCRIBE);
    }

    static void psubscribe(RespSession s, RespArgs a) {
        subscribe(s, a, s.patterns, SubscriptionKind.RESP_PATTERN, PSUBSCRIBE);
    }

    static void ssubscribe(RespSession s, RespArgs a) {
        subscribe(s, a, s.shards, SubscriptionKind.RESP_SHARD, SSUBSCRIBE);
    }

    static void unsubscribe(RespSession s, RespArgs a) {
        unsubscribe(s, a, s.channels, UNSUBSCRIBE);
    }

    static void punsubscribe(RespSession s, RespArgs a) {
        unsubscribe(s, a, s.patterns, PUNSUBSCRIBE);
    }

    static void sunsubscribe(RespSession s, RespArgs a) {
        unsubscribe(s, a, s.shards, SUNSUBSCRIBE);
    }

    private static void subscribe(RespSession s, RespArgs a, LinkedHashMap<SubjectKey, Subscription> mine, SubscriptionKind kind, byte[] verb) {
        SubscriptionIndex index = s.server.broker.index();
        if (s.server.maxSubscriptions > 0 && overLimit(s, a, mine)) {
            s.limitHit(io.lightbroker.broker.core.LimitHits.Limit.MAX_SUBSCRIPTIONS, "max number of subscriptions per client reached");
            s.error(io.lightbroker.resp.RespErrors.MAX_SUBSCRIPTIONS);
            return;
        }
        for (int i = 1; i < a.count(); i++) {
            byte[] name = a.bytes(i);
            SubjectKey key = new SubjectKey(name);
            if (!mine.containsKey(key)) {
                Subscription sub = Subscription.resp(s, kind, name);
                mine.put(key, sub);
                index.add(sub);
            }
            RespPubSubFrames.subscriptionReply(s.pushOut(), s.resp3(), verb, name, count(s, kind));
        }
    }

    /** Whether subscribing to every new name of this command would pass resp-max-subscriptions. */
    private static boolean overLimit(RespSession s, RespArgs a, LinkedHashMap<SubjectKey, Subscription> mine) {
        java.util.HashSet<SubjectKey> fresh = new java.util.HashSet<>();
        for (int i = 1; i < a.count(); i++) {
            SubjectKey key = new SubjectKey(a.bytes(i));
            if (!mine.containsKey(key)) {
                fresh.add(key);
            }
        }
        return s.subscriptionCount() + fresh.size() > s.server.maxSubscriptions;
    }

    private static void unsubscribe(RespSession s, RespArgs a, LinkedHashMap<SubjectKey, Subscription> mine, byte[] verb) {
        SubscriptionIndex index = s.server.broker.index();
        SubscriptionKind kind = verb == SUNSUBSCRIBE ? SubscriptionKind.RESP_SHARD : SubscriptionKind.RESP_CHANNEL;
        if (a.count() == 1) {
            if (mine.isEmpty()) {
                RespPubSubFrames.subscriptionReply(s.pushOut(), s.resp3(), verb, null, count(s, kind));
                return;
            }
            List<Subscription> all = new ArrayList<>(mine.values());
            for (Subscription sub : all) {
                mine.remove(new SubjectKey(sub.subject));
                index.remove(sub);
                RespPubSubFrames.subscriptionReply(s.pushOut(), s.resp3(), verb, sub.subject, count(s, kind));
            }
            return;
        }
        for (int i = 1; i < a.count(); i++) {
            byte[] name = a.bytes(i);
            Subscription sub = mine.remove(new SubjectKey(name));
            if (sub != null) {
                index.remove(sub);
            }
            RespPubSubFrames.subscriptionReply(s.pushOut(), s.resp3(), verb, name, count(s, kind));
        }
    }

    /** Redis counts channels plus patterns in (P)SUBSCRIBE replies, shard channels alone in S(UN)SUBSCRIBE replies. */
    private static long count(RespSession s, SubscriptionKind kind) {
        return kind == SubscriptionKind.RESP_SHARD ? s.shards.size() : s.channelAndPatternCount();
    }

    static void channels(RespSession s, RespArgs a) {
        names(s, a, s.server.broker.index().channels(a.count() > 2 ? a.bytes(2) : null));
    }

    static void shardchannels(RespSession s, RespArgs a) {
        names(s, a, s.server.broker.index().shardChannels(a.count() > 2 ? a.bytes(2) : null));
    }

    private static void names(RespSession s, RespArgs a, List<byte[]> names) {
        if (a.count() > 3) {
            s.error(io.lightbroker.resp.RespErrors.subcommandSyntax(a.string(1), "pubsub"));
            return;
        }
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, names.size());
        for (byte[] n : names) {
            RespWriter.bulk(out, n);
        }
    }

    static void numsub(RespSession s, RespArgs a) {
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, (a.count() - 2) * 2);
        for (int i = 2; i < a.count(); i++) {
            byte[] ch = a.bytes(i);
            RespWriter.bulk(out, ch);
            RespWriter.integer(out, s.server.broker.index().numSub(ch));
        }
    }

    static void shardnumsub(RespSession s, RespArgs a) {
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, (a.count() - 2) * 2);
        for (int i = 2; i < a.count(); i++) {
            byte[] ch = a.bytes(i);
            RespWriter.bulk(out, ch);
            RespWriter.integer(out, s.server.broker.index().shardNumSub(ch));
        }
    }

    static void numpat(RespSession s, RespArgs a) {
        RespWriter.integer(s.out(), s.server.broker.index().numPat());
    }

    static void help(RespSession s, RespArgs a) {
        String[] lines = {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help."
        };
        ServerCommands.helpLines(s, lines);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
