package io.lightbroker.broker.resp;

import io.lightbroker.broker.Version;
import io.lightbroker.broker.core.BrokerStats;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO and COMMAND: enough of Redis's server introspection for redis-cli, client libraries and
 * redis_exporter (which reads {@code connected_clients}, {@code pubsub_channels},
 * {@code pubsub_patterns} and {@code redis_version}).
 */
final class ServerCommands {
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "stats", "replication", "keyspace");

    private ServerCommands() {}

    static void info(RespSession s, RespArgs a) {
        Set<String> sections = new LinkedHashSet<>();
        if (a.count() == 1) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < a.count(); i++) {
            String sec = a.string(i).toLowerCase(Locale.ROOT);
            if (sec.equals("all") || sec.equals("everything") || sec.equals("default")) {
                sections.addAll(DEFAULT_SECTIONS);
            } else {
                sections.add(sec);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String sec : sections) {
            String body = section(s, sec);
            if (body == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append(body);
        }
        RespWriter.verbatim(s.out(), sb.toString(), s.resp3());
    }

    private static String section(RespSession s, String name) {
        RespServerContext srv = s.server;
        BrokerStats st = srv.broker.stats();
        long uptime = (System.currentTimeMillis() - srv.startMillis) / 1000;
        return switch (name) {
            case "server" -> "# Server\r\n"
                    + "redis_version:" + RespServerContext.REDIS_VERSION + "\r\n"
                    + "redis_git_sha1:00000000\r\n"
                    + "redis_git_dirty:0\r\n"
                    + "redis_mode:standalone\r\n"
                    + "os:" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch") + "\r\n"
                    + "arch_bits:64\r\n"
                    + "process_id:" + ProcessHandle.current().pid() + "\r\n"
                    + "tcp_port:" + srv.port + "\r\n"
                    + "uptime_in_seconds:" + uptime + "\r\n"
                    + "uptime_in_days:" + uptime / 86400 + "\r\n"
                    + "executable:lightbroker\r\n"
                    + "lightbroker_version:" + Version.VERSION + "\r\n";
            case "clients" -> "# Clients\r\n"
                    + "connected_clients:" + srv.clientCount() + "\r\n"
                    + "maxclients:" + srv.config.get(io.lightbroker.broker.config.Settings.MAX_CLIENTS) + "\r\n"
                    + "blocked_clients:0\r\n"
                    + "pubsub_clients:" + pubsubClients(srv) + "\r\n";
            case "memory" -> {
                Runtime rt = Runtime.getRuntime();
                long used = rt.totalMemory() - rt.freeMemory();
                yield "# Memory\r\n"
                        + "used_memory:" + used + "\r\n"
                        + "used_memory_peak:" + rt.totalMemory() + "\r\n"
                        + "maxmemory:" + rt.maxMemory() + "\r\n"
                        + "maxmemory_policy:noeviction\r\n";
            }
            case "stats" -> "# Stats\r\n"
                    + "total_connections_received:" + st.connectionsTotal.sum() + "\r\n"
                    + "total_commands_processed:" + srv.commandsProcessed.sum() + "\r\n"
                    + "rejected_connections:" + srv.rejectedConnections.get() + "\r\n"
                    + "pubsub_channels:" + srv.broker.index().channelCount() + "\r\n"
                    + "pubsub_patterns:" + srv.broker.index().numPat() + "\r\n"
                    + "pubsubshard_channels:" + srv.broker.index().shardChannels(null).size() + "\r\n"
                    + "total_net_input_bytes:" + st.bytesIn() + "\r\n"
                    + "total_net_output_bytes:" + st.bytesOut() + "\r\n"
                    + "client_output_buffer_limit_disconnections:" + st.slowConsumers.sum() + "\r\n"
                    + "lightbroker_messages_in:" + st.msgsIn() + "\r\n"
                    + "lightbroker_messages_out:" + st.msgsOut() + "\r\n";
            case "replication" -> "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
            case "keyspace" -> "# Keyspace\r\n";
            case "cpu" -> {
                double cpu = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
                yield "# CPU\r\nused_cpu_sys:0.000000\r\nused_cpu_user:" + String.format(Locale.ROOT, "%.6f", cpu) + "\r\n";
            }
            default -> null;
        };
    }

    private static int pubsubClients(RespServerContext srv) {
        int n = 0;
        for (RespSession c : srv.clients()) {
            if (!c.channels.isEmpty() || !c.patterns.isEmpty() || !c.shards.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    // ---- COMMAND ----

    static void command(RespSession s, RespArgs a) {
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, RespCommands.ALL.size());
        for (RespCommand c : RespCommands.ALL) {
            commandInfo(out, c, s.resp3());
        }
    }

    static void commandCount(RespSession s, RespArgs a) {
        RespWriter.integer(s.out(), RespCommands.ALL.size());
    }

    static void commandList(RespSession s, RespArgs a) {
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, RespCommands.ALL.size());
        for (RespCommand c : RespCommands.ALL) {
            RespWriter.bulk(out, c.name);
        }
    }

    static void commandInfo(RespSession s, RespArgs a) {
        ByteBuf out = s.out();
        if (a.count() == 2) {
            command(s, a);
            return;
        }
        RespWriter.arrayHeader(out, a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            RespCommand c = RespCommands.find(a.string(i));
            if (c == null) {
                RespWriter.nullArray(out, s.resp3());
            } else {
                commandInfo(out, c, s.resp3());
            }
        }
    }

    /** Redis 7's ten-element command info entry. */
    private static void commandInfo(ByteBuf out, RespCommand c, boolean resp3) {
        RespWriter.arrayHeader(out, 10);
        RespWriter.bulk(out, c.fullName);
        RespWriter.integer(out, c.arity);
        List<String> flags = new ArrayList<>();
        if ((c.flags & RespCommand.NO_AUTH) != 0) {
            flags.add("no_auth");
        }
        if ((c.flags & RespCommand.PUBSUB_CONTEXT) != 0 || c.group.equals("pubsub")) {
            flags.add("pubsub");
        }
        flags.add("loading");
        flags.add("stale");
        RespWriter.setHeader(out, flags.size(), resp3);
        for (String f : flags) {
            RespWriter.simpleString(out, f);
        }
        RespWriter.integer(out, 0);
        RespWriter.integer(out, 0);
        RespWriter.integer(out, 0);
        RespWriter.setHeader(out, 2, resp3);
        RespWriter.simpleString(out, "@" + (c.group.isEmpty() ? "connection" : c.group));
        RespWriter.simpleString(out, "@slow");
        RespWriter.arrayHeader(out, 0);
        RespWriter.arrayHeader(out, 0);
        RespWriter.arrayHeader(out, c.subcommands.length);
        for (RespCommand sc : c.subcommands) {
            commandInfo(out, sc, resp3);
        }
    }

    static void commandDocs(RespSession s, RespArgs a) {
        List<RespCommand> cmds = new ArrayList<>();
        if (a.count() == 2) {
            cmds.addAll(RespCommands.ALL);
        } else {
            for (int i = 2; i < a.count(); i++) {
                RespCommand c = RespCommands.find(a.string(i));
                if (c != null) {
                    cmds.add(c);
                }
            }
        }
        ByteBuf out = s.out();
        RespWriter.mapHeader(out, cmds.size(), s.resp3());
        for (RespCommand c : cmds) {
            RespWriter.bulk(out, c.name);
            docs(out, c, s.resp3());
        }
    }

    private static void docs(ByteBuf out, RespCommand c, boolean resp3) {
        boolean subs = c.subcommands.length > 0;
        RespWriter.mapHeader(out, subs ? 4 : 3, resp3);
        RespWriter.bulk(out, "summary");
        RespWriter.bulk(out, c.summary);
        RespWriter.bulk(out, "since");
        RespWriter.bulk(out, "1.0.0");
        RespWriter.bulk(out, "group");
        RespWriter.bulk(out, c.group.isEmpty() ? "connection" : c.group);
        if (subs) {
            RespWriter.bulk(out, "subcommands");
            RespWriter.mapHeader(out, c.subcommands.length, resp3);
            for (RespCommand sc : c.subcommands) {
                RespWriter.bulk(out, sc.fullName);
                docs(out, sc, resp3);
            }
        }
    }

    static void commandHelp(RespSession s, RespArgs a) {
        helpLines(s, new String[] {
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "HELP",
            "    Print this help."
        });
    }

    /** Redis's addReplyHelp: an array of status lines. */
    static void helpLines(RespSession s, String[] lines) {
        ByteBuf out = s.out();
        RespWriter.arrayHeader(out, lines.length);
        for (String l : lines) {
            RespWriter.simpleString(out, l);
        }
    }
}
