package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RespCommand.NO_AUTH;
import static io.lightbroker.broker.resp.RespCommand.PUBSUB_CONTEXT;
import static io.lightbroker.broker.resp.RespCommand.sub;

import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * The RESP command table and the checks Redis's {@code processCommand} makes before running a
 * command, in Redis's order: unknown command or subcommand, arity, authentication, RESP2
 * subscribed context. Lookup compares the name bytes in place (bucketed by length), so
 * dispatching PUBLISH allocates nothing.
 */
final class RespCommands {
    static final List<RespCommand> ALL = List.of(
            new RespCommand("publish", 3, 0, "pubsub", "Posts a message to a channel.", PubSubCommands::publish),
            new RespCommand("spublish", 3, 0, "pubsub", "Post a message to a shard channel", PubSubCommands::spublish),
            new RespCommand("subscribe", -2, PUBSUB_CONTEXT, "pubsub", "Listens for messages published to channels.", PubSubCommands::subscribe),
            new RespCommand("unsubscribe", -1, PUBSUB_CONTEXT, "pubsub", "Stops listening to messages posted to channels.", PubSubCommands::unsubscribe),
            new RespCommand("psubscribe", -2, PUBSUB_CONTEXT, "pubsub", "Listens for messages published to channels that match one or more patterns.", PubSubCommands::psubscribe),
            new RespCommand("punsubscribe", -1, PUBSUB_CONTEXT, "pubsub", "Stops listening to messages published to channels that match one or more patterns.", PubSubCommands::punsubscribe),
            new RespCommand("ssubscribe", -2, PUBSUB_CONTEXT, "pubsub", "Listens for messages published to shard channels.", PubSubCommands::ssubscribe),
            new RespCommand("sunsubscribe", -1, PUBSUB_CONTEXT, "pubsub", "Stops listening to messages posted to shard channels.", PubSubCommands::sunsubscribe),
            new RespCommand("pubsub", -2, 0, "pubsub", "A container for Pub/Sub commands.", null,
                    sub("channels", -2, "Returns the active channels.", PubSubCommands::channels),
                    sub("numsub", -2, "Returns a count of subscribers to channels.", PubSubCommands::numsub),
                    sub("numpat", 2, "Returns a count of unique pattern subscriptions.", PubSubCommands::numpat),
                    sub("shardchannels", -2, "Returns the active shard channels.", PubSubCommands::shardchannels),
                    sub("shardnumsub", -2, "Returns the count of subscribers of shard channels.", PubSubCommands::shardnumsub),
                    sub("help", 2, "Returns helpful text about the different subcommands.", PubSubCommands::help)),
            new RespCommand("ping", -1, PUBSUB_CONTEXT, "connection", "Returns the server's liveliness response.", ConnectionCommands::ping),
            new RespCommand("echo", 2, 0, "connection", "Returns the given string.", ConnectionCommands::echo),
            new RespCommand("hello", -1, NO_AUTH, "connection", "Handshakes with the Redis server.", ConnectionCommands::hello),
            new RespCommand("auth", -2, NO_AUTH, "connection", "Authenticates the connection.", ConnectionCommands::auth),
            new RespCommand("select", 2, 0, "connection", "Changes the selected database.", ConnectionCommands::select),
            new RespCommand("reset", 1, NO_AUTH | PUBSUB_CONTEXT, "connection", "Resets the connection.", ConnectionCommands::reset),
            new RespCommand("quit", -1, NO_AUTH | PUBSUB_CONTEXT, "connection", "Closes the connection.", ConnectionCommands::quit),
            new RespCommand("client", -2, 0, "connection", "A container for client connection commands.", null,
                    sub("id", 2, "Returns the unique client ID of the connection.", ClientCommands::id),
                    sub("setname", 3, "Sets the connection name.", ClientCommands::setname),
                    sub("getname", 2, "Returns the name of the connection.", ClientCommands::getname),
                    sub("setinfo", 4, "Sets information specific to the client or connection.", ClientCommands::setinfo),
                    sub("list", -2, "Lists open connections.", ClientCommands::list),
                    sub("info", 2, "Returns information about the connection.", ClientCommands::info),
                    sub("kill", -3, "Terminates open connections.", ClientCommands::kill),
                    sub("reply", 3, "Instructs the server whether to reply to commands.", ClientCommands::reply),
                    sub("help", 2, "Returns helpful text about the different subcommands.", ClientCommands::help)),
            new RespCommand("info", -1, 0, "server", "Returns information and statistics about the server.", ServerCommands::info),
            new RespCommand("command", -1, 0, "server", "Returns detailed information about all commands.", ServerCommands::command,
                    sub("count", 2, "Returns a count of commands.", ServerCommands::commandCount),
                    sub("info", -2, "Returns information about one, multiple or all commands.", ServerCommands::commandInfo),
                    sub("docs", -2, "Returns documentary information about one, multiple or all commands.", ServerCommands::commandDocs),
                    sub("list", -2, "Returns a list of command names.", ServerCommands::commandList),
                    sub("help", 2, "Returns helpful text about the different subcommands.", ServerCommands::commandHelp)));

    private static final RespCommand[][] BY_LENGTH = index();

    private RespCommands() {}

    private static RespCommand[][] index() {
        int max = 0;
        for (RespCommand c : ALL) {
            max = Math.max(max, c.upper.length);
        }
        List<List<RespCommand>> buckets = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            buckets.add(new ArrayList<>());
        }
        for (RespCommand c : ALL) {
            buckets.get(c.upper.length).add(c);
        }
        RespCommand[][] out = new RespCommand[max + 1][];
        for (int i = 0; i <= max; i++) {
            out[i] = buckets.get(i).toArray(new RespCommand[0]);
        }
        return out;
    }

    static RespCommand lookup(RespArgs a, int argIndex) {
        int len = a.length(argIndex);
        if (len >= BY_LENGTH.length) {
            return null;
        }
        for (RespCommand c : BY_LENGTH[len]) {
            if (a.equalsIgnoreCase(argIndex, c.upper)) {
                return c;
            }
        }
        return null;
    }

    static RespCommand find(String name) {
        for (RespCommand c : ALL) {
            if (c.name.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    static void dispatch(RespSession s, RespArgs a) {
        s.server.commandsProcessed.increment();
        RespCommand c = lookup(a, 0);
        if (c == null) {
            s.error(RespErrors.unknownCommand(a));
            return;
        }
        s.lastCommand = c.name;
        if (c.isContainer() && a.count() >= 2) {
            RespCommand sc = null;
            for (RespCommand candidate : c.subcommands) {
                if (a.equalsIgnoreCase(1, candidate.upper)) {
                    sc = candidate;
                    break;
                }
            }
            if (sc == null && c.handler == null) {
                s.error(RespErrors.unknownSubcommand(a));
                return;
            }
            if (sc != null) {
                c = sc;
                s.lastCommand = c.fullName;
            }
        }
        if (!c.arityOk(a.count())) {
            s.error(RespErrors.wrongArity(c.fullName));
            return;
        }
        if (!s.authenticated && (c.flags & NO_AUTH) == 0) {
            s.error(RespErrors.NOAUTH);
            return;
        }
        if (!s.user.allCommands() || !s.user.allChannels()) {
            String denied = RespAclCheck.check(s.user, c, a);
            if (denied != null) {
                s.error(denied);
                return;
            }
        }
        if ((c.flags & PUBSUB_CONTEXT) == 0 && s.inResp2PubSubContext()) {
            s.error(RespErrors.subscribedContext(c.fullName));
            return;
        }
        c.handler.run(s, a);
    }
}
