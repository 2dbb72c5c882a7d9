package io.lightbroker.broker.resp;

import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespErrors;
import io.lightbroker.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CLIENT ID / SETNAME / GETNAME / SETINFO / LIST / INFO / KILL / REPLY, as Redis 7 answers them. */
final class ClientCommands {
    private ClientCommands() {}

    static void id(RespSession s, RespArgs a) {
        RespWriter.integer(s.out(), s.clientId());
    }

    /** Redis accepts only printable ASCII without spaces in client names. */
    static String validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return RespErrors.INVALID_CLIENT_NAME;
            }
        }
        return null;
    }

    static void setname(RespSession s, RespArgs a) {
        String name = a.string(2);
        String problem = validateName(name);
        if (problem != null) {
            s.error(problem);
            return;
        }
        s.name = name.isEmpty() ? null : name;
        RespWriter.simpleString(s.out(), "OK");
    }

    static void getname(RespSession s, RespArgs a) {
        if (s.name == null) {
            RespWriter.nullBulk(s.out(), s.resp3());
        } else {
            RespWriter.bulk(s.out(), s.name);
        }
    }

    /** CLIENT SETINFO (Redis 7.2): clients send it on connect and expect +OK. */
    static void setinfo(RespSession s, RespArgs a) {
        String attr = a.string(2).toLowerCase(Locale.ROOT);
        String value = a.string(3);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~') {
                s.error(RespErrors.clientSetinfoInvalid(attr));
                return;
            }
        }
        switch (attr) {
            case "lib-name" -> s.libName = value;
            case "lib-ver" -> s.libVersion = value;
            default -> {
                s.error(RespErrors.clientSetinfoUnknownAttr(a.string(2)));
                return;
            }
        }
        RespWriter.simpleString(s.out(), "OK");
    }

    static void list(RespSession s, RespArgs a) {
        String type = null;
        List<Long> ids = null;
        for (int i = 2; i < a.count(); i++) {
            String opt = a.string(i).toLowerCase(Locale.ROOT);
            if (opt.equals("type") && i + 1 < a.count()) {
                type = a.string(++i).toLowerCase(Locale.ROOT);
                if (!type.equals("normal") && !type.equals("pubsub") && !type.equals("master") && !type.equals("replica") && !type.equals("slave")) {
                    s.error(RespErrors.unknownClientType(a.string(i)));
                    return;
                }
            } else if (opt.equals("id") && i + 1 < a.count()) {
                ids = new ArrayList<>();
                for (i = i + 1; i < a.count(); i++) {
                    try {
                        long v = a.parseLong(i);
                        if (v <= 0) {
                            throw new NumberFormatException();
                        }
                        ids.add(v);
                    } catch (NumberFormatException e) {
                        s.error(RespErrors.INVALID_CLIENT_ID);
                        return;
                    }
                }
            } else {
                s.error(RespErrors.SYNTAX_ERROR);
                return;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (RespSession c : s.server.clients()) {
            if (ids != null && !ids.contains(c.clientId())) {
                continue;
            }
            boolean pubsub = !c.channels.isEmpty() || !c.patterns.isEmpty() || !c.shards.isEmpty();
            if (type != null && (type.equals("pubsub") != pubsub || type.equals("master") || type.equals("replica") || type.equals("slave"))) {
                continue;
            }
            sb.append(describe(c, c == s ? "client|list" : c.lastCommand)).append('\n');
        }
        RespWriter.verbatim(s.out(), sb.toString(), s.resp3());
    }

    static void info(RespSession s, RespArgs a) {
        RespWriter.verbatim(s.out(), describe(s, "client|info") + "\n", s.resp3());
    }

    /** One CLIENT LIST line, with Redis 7.0's fields in Redis's order. */
    static String describe(RespSession c, String cmd) {
        boolean pubsub = !c.channels.isEmpty() || !c.patterns.isEmpty() || !c.shards.isEmpty();
        long omem = c.outbound() == null ? 0 : c.outbound().pendingBytes();
        return "id=" + c.clientId()
                + " addr=" + c.remoteAddress()
                + " laddr=" + c.localAddress()
                + " fd=-1"
                + " name=" + (c.name == null ? "" : c.name)
                + " age=" + c.ageSeconds()
                + " idle=" + c.idleSeconds()
                + " flags=" + (pubsub ? "P" : "N")
                + " db=0"
                + " sub=" + c.channels.size()
                + " psub=" + c.patterns.size()
                + " ssub=" + c.shards.size()
                + " multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0"
                + " omem=" + omem
                + " tot-mem=0 events=r"
                + " cmd=" + cmd
                + " user=" + c.user.name() + " redir=-1"
                + " resp=" + (c.resp3() ? 3 : 2)
                + (c.libName == null ? "" : " lib-name=" + c.libName)
                + (c.libVersion == null ? "" : " lib-ver=" + c.libVersion);
    }

    /**
     * Both forms: the old {@code CLIENT KILL addr:port} (replies +OK or an error) and the
     * filter form {@code CLIENT KILL ID n | ADDR a | LADDR a | USER u | SKIPME yes/no}
     * (replies the number killed).
     */
    static void kill(RespSession s, RespArgs a) {
        if (a.count() == 3) {
            String addr = a.string(2);
            for (RespSession c : s.server.clients()) {
                if (c.remoteAddress().equals(addr)) {
                    kill(s, c);
                    RespWriter.simpleString(s.out(), "OK");
                    return;
                }
            }
            s.error(RespErrors.NO_SUCH_CLIENT);
            return;
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        boolean skipMe = true;
        for (int i = 2; i < a.count(); i += 2) {
            if (i + 1 >= a.count()) {
                s.error(RespErrors.SYNTAX_ERROR);
                return;
            }
            String opt = a.string(i).toLowerCase(Locale.ROOT);
            String val = a.string(i + 1);
            switch (opt) {
                case "id" -> {
                    try {
                        id = a.parseLong(i + 1);
                        if (id <= 0) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        s.error(RespErrors.CLIENT_ID_NOT_POSITIVE);
                        return;
                    }
                }
                case "addr" -> addr = val;
                case "laddr" -> laddr = val;
                case "user" -> {
                    if (s.server.acl.user(val) == null) {
                        s.error(RespErrors.noSuchUser(val));
                        return;
                    }
                    user = val;
                }
                case "type" -> {
                    type = val.toLowerCase(Locale.ROOT);
                    if (!type.equals("normal") && !type.equals("pubsub") && !type.equals("master") && !type.equals("replica") && !type.equals("slave")) {
                        s.error(RespErrors.unknownClientType(val));
                        return;
                    }
                }
                case "skipme" -> {
                    if (val.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (val.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        s.error(RespErrors.SYNTAX_ERROR);
                        return;
                    }
                }
                default -> {
                    s.error(RespErrors.SYNTAX_ERROR);
                    return;
                }
            }
        }
        int killed = 0;
        for (RespSession c : new ArrayList<>(s.server.clients())) {
            if (id != null && c.clientId() != id) {
                continue;
            }
            if (addr != null && !c.remoteAddress().equals(addr)) {
                continue;
            }
            if (laddr != null && !c.localAddress().equals(laddr)) {
                continue;
            }
            if (user != null && !user.equals(c.user.name())) {
                continue;
            }
            if (type != null) {
                boolean pubsub = !c.channels.isEmpty() || !c.patterns.isEmpty() || !c.shards.isEmpty();
                if (type.equals("pubsub") != pubsub || !(type.equals("normal") || type.equals("pubsub"))) {
                    continue;
                }
            }
            if (c == s && skipMe) {
                continue;
            }
            kill(s, c);
            killed++;
        }
        RespWriter.integer(s.out(), killed);
    }

    /** Killing oneself replies first, as Redis does (CLIENT_CLOSE_AFTER_REPLY). */
    private static void kill(RespSession self, RespSession target) {
        if (target == self) {
            self.closeAfterReply();
        } else {
            target.channel().close();
        }
    }

    static void reply(RespSession s, RespArgs a) {
        String mode = a.string(2).toLowerCase(Locale.ROOT);
        switch (mode) {
            case "on" -> {
                s.replyMode = RespSession.REPLY_ON;
                RespWriter.simpleString(s.out(), "OK");
            }
            case "off" -> s.replyMode = RespSession.REPLY_OFF;
            case "skip" -> {
                if (s.replyMode != RespSession.REPLY_OFF) {
                    s.replyMode = RespSession.REPLY_SKIP;
                }
            }
            default -> s.error(RespErrors.SYNTAX_ERROR);
        }
    }

    static void help(RespSession s, RespArgs a) {
        ServerCommands.helpLines(s, new String[] {
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are: ID <client-id>, ADDR <ip:port>, LADDR <ip:port>,",
            "    USER <username>, SKIPME (YES|NO).",
            "LIST [options ...]",
            "    Return information about client connections. Options: TYPE (NORMAL|PUBSUB), ID <id> [...].",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <LIB-NAME|LIB-VER> <value>",
            "    Set client meta attr.",
            "HELP",
            "    Print this help."
        });
    }
}
