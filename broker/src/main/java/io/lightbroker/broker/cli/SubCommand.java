package io.lightbroker.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * {@code lightbroker sub --proto nats|resp [--url URL] [--queue GROUP] [--pattern] [--count N] SUBJECT}:
 * prints one line {@code SUBJECT PAYLOAD} per message, flushed as it arrives (so
 * {@code docker logs} and pipes see it at once). {@code --queue} joins a NATS queue group:
 * each message goes to one member, which is how the compose demo's workers share the load.
 * {@code --pattern} makes a RESP subscription a PSUBSCRIBE (NATS wildcards need no switch).
 *
 * <p>"subscribed ..." goes to standard error once the server confirmed the subscription, so
 * a script can wait for it before publishing. Exits 0 after {@code --count} messages; 1 when
 * the server closes the connection (it is draining, or it dropped this client).
 */
final class SubCommand {
    private static final Set<String> VALUED = Set.of("proto", "url", "user", "auth-file", "queue", "count", "timeout");

    private SubCommand() {}

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, VALUED, Set.of("pattern"));
        if (args.positional().size() != 1) {
            throw new UsageException("expected one SUBJECT (see 'lightbroker help')");
        }
        String subject = args.positional().get(0);
        long count = args.integer("count", 0, 0);
        int timeout = (int) Math.min(Integer.MAX_VALUE, args.millis("timeout", 5000));
        String queue = args.get("queue", null);
        Endpoint ep = Endpoint.from(args);
        if (queue != null && ep.proto() != Endpoint.Proto.NATS) {
            throw new UsageException("--queue is NATS only: Redis has no queue groups");
        }
        if (args.has("pattern") && ep.proto() != Endpoint.Proto.RESP) {
            throw new UsageException("--pattern is for RESP (NATS subjects take * and > as they are)");
        }
        long received = 0;
        try (ClientConnection c = ClientConnection.open(ep, "lightbroker-sub", timeout)) {
            c.subscribe(subject, queue, args.has("pattern"));
            err.println("subscribed to " + subject + (queue == null ? "" : " in queue group " + queue) + " on " + ep.display());
            while (count == 0 || received < count) {
                ClientConnection.Message m = c.next();
                if (m == null) {
                    err.println("lightbroker sub: " + ep.display() + " closed the connection after " + received + " messages");
                    return 1;
                }
                received++;
                out.write(m.subject().getBytes(StandardCharsets.UTF_8));
                out.write(' ');
                out.write(m.payload());
                out.write('\n');
                out.flush();
            }
            return 0;
        } catch (IOException e) {
            err.println("lightbroker sub: " + ep.display() + ": " + e.getMessage());
            return 1;
        }
    }
}
