package io.lightbroker.broker.resp;

import io.lightbroker.broker.auth.RespUser;
import io.lightbroker.resp.RespArgs;
import io.lightbroker.resp.RespErrors;
import io.lightbroker.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** PING, ECHO, HELLO, AUTH, SELECT, RESET and QUIT, with Redis 7.0's replies. */
final class ConnectionCommands {
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO_AUTH = "AUTH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HELLO_SETNAME = "SETNAME".getBytes(StandardCharsets.US_ASCII);
    private static final int DATABASES = 16;

    private ConnectionCommands() {}

    /** In RESP2 subscribed context Redis answers PING with the {@code pong} array form. */
    static void ping(RespSession s, RespArgs a) {
        if (a.count() > 2) {
            s.error(RespErrors.wrongArity("ping"));
            return;
        }
        ByteBuf out = s.out();
        if (s.inResp2PubSubContext()) {
            RespWriter.arrayHeader(out, 2);
            RespWriter.bulk(out, PONG);
            if (a.count() == 2) {
                RespWriter.bulk(out, a.buffer(1), a.offset(1), a.length(1));
            } else {
                RespWriter.bulk(out, new byte[0]);
            }
        } else if (a.count() == 2) {
            RespWriter.bulk(out, a.buffer(1), a.offset(1), a.length(1));
        } else {
            RespWriter.simpleString(out, "PONG");
        }
    }

    static void echo(RespSession s, RespArgs a) {
        RespWriter.bulk(s.out(), a.buffer(1), a.offset(1), a.length(1));
    }

    static void hello(RespSession s, RespArgs a) {
        int proto = s.resp3() ? 3 : 2;
        int i = 1;
        if (a.count() >= 2) {
            long ver;
            try {
                ver = a.parseLong(1);
            } catch (NumberFormatException e) {
                s.error(RespErrors.HELLO_PROTOCOL_VERSION_NOT_INTEGER);
                return;
            }
            if (ver < 2 || ver > 3) {
                s.error(RespErrors.NOPROTO);
                return;
            }
            proto = (int) ver;
            i = 2;
        }
        String user = null;
        String pass = null;
        String name = null;
        for (; i < a.count(); i++) {
            if (a.equalsIgnoreCase(i, HELLO_AUTH) && a.count() - i - 1 >= 2) {
                user = a.string(i + 1);
                pass = a.string(i + 2);
                i += 2;
            } else if (a.equalsIgnoreCase(i, HELLO_SETNAME) && a.count() - i - 1 >= 1) {
                name = a.string(i + 1);
                i += 1;
            } else {
                s.error(RespErrors.helloSyntax(a.bytes(i)));
                return;
            }
        }
        if (user != null) {
            RespUser u = checkPassword(s, user, pass);
            if (u == null) {
                s.authFailed();
                s.error(RespErrors.WRONGPASS);
                return;
            }
            s.authenticatedAs(u);
        } else if (!s.authenticated) {
            s.error(RespErrors.HELLO_NOAUTH);
            return;
        }
        if (name != null) {
            String problem = ClientCommands.validateName(name);
            if (problem != null) {
                s.error(problem);
                return;
            }
            s.name = name.isEmpty() ? null : name;
        }
        s.resp3(proto == 3);
        ByteBuf out = s.out();
        boolean r3 = proto == 3;
        RespWriter.mapHeader(out, 7, r3);
        RespWriter.bulk(out, "server");
        RespWriter.bulk(out, "redis");
        RespWriter.bulk(out, "version");
        RespWriter.bulk(out, RespServerContext.REDIS_VERSION);
        RespWriter.bulk(out, "proto");
        RespWriter.integer(out, proto);
        RespWriter.bulk(out, "id");
        RespWriter.integer(out, s.clientId());
        RespWriter.bulk(out, "mode");
        RespWriter.bulk(out, "standalone");
        RespWriter.bulk(out, "role");
        RespWriter.bulk(out, "master");
        RespWriter.bulk(out, "modules");
        RespWriter.arrayHeader(out, 0);
    }

    static void auth(RespSession s, RespArgs a) {
        if (a.count() > 3) {
            s.error(RespErrors.SYNTAX_ERROR);
            return;
        }
        // Redis keeps the old error for the one-argument form while the default user is nopass.
        if (a.count() == 2 && s.server.acl.defaultUser().nopass()) {
            s.error(RespErrors.AUTH_WITHOUT_PASSWORD_CONFIGURED);
            return;
        }
        String user = a.count() == 3 ? a.string(1) : "default";
        String pass = a.string(a.count() - 1);
        RespUser u = checkPassword(s, user, pass);
        if (u != null) {
            s.authenticatedAs(u);
            RespWriter.simpleString(s.out(), "OK");
        } else {
            s.authFailed();
            s.error(RespErrors.WRONGPASS);
        }
    }

    /** The user these credentials authenticate as (on, and nopass or a matching password), or null. */
    static RespUser checkPassword(RespSession s, String user, String pass) {
        RespUser u = s.server.acl.user(user);
        return u != null && u.checkPassword(pass) ? u : null;
    }

    /** Pub/sub is global across databases in Redis, so any valid index behaves like 0. */
    static void select(RespSession s, RespArgs a) {
        long db;
        try {
            db = a.parseLong(1);
        } catch (NumberFormatException e) {
            s.error(RespErrors.NOT_AN_INTEGER);
            return;
        }
        if (db < 0 || db >= DATABASES) {
            s.error(RespErrors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        RespWriter.simpleString(s.out(), "OK");
    }

    static void reset(RespSession s, RespArgs a) {
        s.unsubscribeAllSilently();
        s.resp3(false);
        s.name = null;
        s.replyMode = RespSession.REPLY_ON;
        s.resetUser();
        RespWriter.simpleString(s.out(), "RESET");
    }

    static void quit(RespSession s, RespArgs a) {
        RespWriter.simpleString(s.out(), "OK");
        s.closeAfterReply();
    }
}
