package io.lightbroker.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * {@code lightbroker pub --proto nats|resp [--url URL] [--count N] [--interval D] SUBJECT MESSAGE}:
 * publishes MESSAGE N times, {@code {n}} replaced by the sequence number from 1, waiting D
 * between messages. Exits 0 once the server has accepted every message (RESP: each PUBLISH
 * answered; NATS: a PING after the last PUB answered), 1 on a connection or protocol error.
 */
final class PubCommand {
    private static final Set<String> VALUED = Set.of("proto", "url", "user", "auth-file", "count", "interval", "timeout");
    /** NATS: confirm with a PING this often, so an error surfaces near the message that caused it. */
    private static final int FLUSH_EVERY = 1024;

    private PubCommand() {}

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, VALUED, Set.of());
        if (args.positional().size() != 2) {
            throw new UsageException("expected SUBJECT MESSAGE (see 'lightbroker help')");
        }
        String subject = args.positional().get(0);
        String template = args.positional().get(1);
        long count = args.integer("count", 1, 1);
        long interval = args.millis("interval", 0);
        int timeout = (int) Math.min(Integer.MAX_VALUE, args.millis("timeout", 5000));
        Endpoint ep = Endpoint.from(args);
        boolean numbered = template.contains("{n}");
        byte[] fixed = template.getBytes(StandardCharsets.UTF_8);
        long receivers = 0;
        try (ClientConnection c = ClientConnection.open(ep, "lightbroker-pub", timeout)) {
            for (long n = 1; n <= count; n++) {
                byte[] payload = numbered ? template.replace("{n}", Long.toString(n)).getBytes(StandardCharsets.UTF_8) : fixed;
                c.publish(subject, payload);
                if (interval > 0 || n % FLUSH_EVERY == 0) {
                    c.flush();
                }
                if (interval > 0 && n < count) {
                    Thread.sleep(interval);
                }
            }
            c.flush();
            receivers = c.receivers();
        } catch (IOException e) {
            err.println("lightbroker pub: " + ep.display() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.println("published " + count + (count == 1 ? " message" : " messages") + " to " + subject + " on " + ep.display()
                + (receivers >= 0 ? " (" + receivers + " deliveries)" : ""));
        return 0;
    }
}
