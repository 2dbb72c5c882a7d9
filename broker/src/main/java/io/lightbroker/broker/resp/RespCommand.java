package io.lightbroker.broker.resp;

import io.lightbroker.resp.RespArgs;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One row of the RESP command table: name, Redis arity (positive: exact argument count
 * including the name; negative: at least that many), flags, handler, and for container
 * commands (CLIENT, PUBSUB, COMMAND) their subcommands.
 */
final class RespCommand {
    /** May run before authentication (Redis CMD_NO_AUTH). */
    static final int NO_AUTH = 1;
    /** Allowed in RESP2 subscribed context. */
    static final int PUBSUB_CONTEXT = 2;

    interface Handler {
        void run(RespSession s, RespArgs a);
    }

    final String name;
    final byte[] upper;
    final int arity;
    final int flags;
    final Handler handler;
    final RespCommand[] subcommands;
    /** {@code client|setname} for subcommands, as Redis names them in errors. */
    final String fullName;
    final String group;
    final String summary;

    RespCommand(String name, int arity, int flags, String group, String summary, Handler handler, RespCommand... subcommands) {
        this(null, name, arity, flags, group, summary, handler, subcommands);
    }

    private RespCommand(String parent, String name, int arity, int flags, String group, String summary, Handler handler, RespCommand[] subcommands) {
        this.name = name;
        this.upper = name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = flags;
        this.group = group;
        this.summary = summary;
        this.handler = handler;
        this.fullName = parent == null ? name : parent + "|" + name;
        RespCommand[] subs = new RespCommand[subcommands.length];
        for (int i = 0; i < subcommands.length; i++) {
            RespCommand c = subcommands[i];
            subs[i] = new RespCommand(name, c.name, c.arity, c.flags | (flags & NO_AUTH), c.group, c.summary, c.handler, new RespCommand[0]);
        }
        this.subcommands = subs;
    }

    /** Subcommand definition: its arity counts the container name too, as in Redis. */
    static RespCommand sub(String name, int arity, String summary, Handler handler) {
        return new RespCommand(name, arity, 0, "", summary, handler);
    }

    boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    boolean isContainer() {
        return subcommands.length > 0;
    }
}
