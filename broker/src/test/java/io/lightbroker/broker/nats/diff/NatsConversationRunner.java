package io.lightbroker.broker.nats.diff;

import io.lightbroker.broker.testsupport.NatsBytes;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.lightbroker.broker.testsupport.RawNatsConnection;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * Plays one conversation against a reference server (the real nats-server) and a candidate at the
 * same time, step by step, and fails on the first reply that differs.
 *
 * <p>How reads stay deterministic: the reference is read until it has been quiet for {@link #QUIET}.
 * The candidate must then send as many complete frames (within {@link #CANDIDATE_DEADLINE}), after
 * which it too must stay quiet for {@link #QUIET}, so extra bytes show up in the diff instead of
 * leaking into the next step. Counting frames rather than bytes is what lets the INFO line, whose
 * variable fields have different lengths on the two servers, be normalised; every other frame is then
 * compared byte for byte. Whether the server closed the connection is part of every comparison, and
 * at the end of the script every connection the client did not close itself must be in the same
 * state (open or closed, with the same trailing bytes) on both servers.
 */
final class NatsConversationRunner {

    static final Duration QUIET = Duration.ofMillis(Long.getLong("nats.diff.quietMillis", 150));
    static final Duration FIRST_BYTE = Duration.ofSeconds(3);
    static final Duration CANDIDATE_DEADLINE = Duration.ofSeconds(3);
    static final Duration SILENCE = Duration.ofMillis(300);
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(2);
    static final long BYTEWISE_PAUSE_MILLIS = 3;
    /** {@code -Dnats.diff.trace=true} prints every reference reply, for writing {@code expect} lines. */
    static final boolean TRACE = Boolean.getBoolean("nats.diff.trace");

    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nats-diff-reader");
        t.setDaemon(true);
        return t;
    });

    private final Function<NatsServerOptions, NatsTarget> reference;
    private final Function<NatsServerOptions, NatsTarget> candidate;

    NatsConversationRunner(Function<NatsServerOptions, NatsTarget> reference, Function<NatsServerOptions, NatsTarget> candidate) {
        this.reference = reference;
        this.candidate = candidate;
        // Load and warm the comparison code (Jackson) before any connection exists: the first
        // conversation must not spend its connections' first two seconds on class loading.
        NatsReplyComparison.canonical(NatsBytes.latin1(WARM_UP_INFO), false);
        CompletableFuture.supplyAsync(() -> 0, READERS).join();
    }

    private static final String WARM_UP_INFO = "INFO {\"server_id\":\"x\",\"proto\":1,\"headers\":true} \r\n";

    void run(NatsConversation conv) {
        try (NatsTarget ref = reference.apply(conv.options());
                NatsTarget cand = candidate.apply(conv.options());
                Connections conns = new Connections(ref, cand)) {
            for (NatsConversation.Step step : conv.steps()) {
                play(conv, step, conns, ref, cand);
            }
            compareFinalStates(conv, conns, ref, cand);
        }
    }

    private void play(NatsConversation conv, NatsConversation.Step step, Connections conns, NatsTarget ref, NatsTarget cand) {
        if (step instanceof NatsConversation.Connect c) {
            conns.pair(c.connection());
        } else if (step instanceof NatsConversation.Sleep s) {
            sleep(s.millis());
        } else if (step instanceof NatsConversation.Send s) {
            Pair p = conns.pair(s.connection());
            // A server that already closed the connection makes the write fail; that is not the
            // harness's error. The next read or closed step compares the connection states.
            if (s.bytewise()) {
                for (byte b : s.bytes()) {
                    sendIgnoringClosed(p.ref, new byte[] {b});
                    sendIgnoringClosed(p.cand, new byte[] {b});
                    sleep(BYTEWISE_PAUSE_MILLIS);
                }
            } else {
                sendIgnoringClosed(p.ref, s.bytes());
                sendIgnoringClosed(p.cand, s.bytes());
            }
        } else if (step instanceof NatsConversation.Close c) {
            Pair p = conns.pair(c.connection());
            p.ref.close();
            p.cand.close();
            p.closedByClient = true;
        } else if (step instanceof NatsConversation.Silent s) {
            Pair p = conns.pair(s.connection());
            Both<RawNatsConnection.Read> both = both(() -> p.ref.readUntilQuiet(SILENCE, QUIET), () -> p.cand.readUntilQuiet(SILENCE, QUIET));
            RawNatsConnection.Read r = both.ref;
            RawNatsConnection.Read c = both.cand;
            if (r.bytes().length > 0 || r.closed()) {
                throw new AssertionError(where(conv, step) + "the conversation is wrong: reference " + ref.description()
                        + " was not silent: <" + NatsBytes.escape(r.bytes()) + ">" + (r.closed() ? " + close" : ""));
            }
            if (c.bytes().length > 0 || c.closed()) {
                throw new AssertionError(where(conv, step) + "expected silence (as from " + ref.description()
                        + ") but " + cand.description() + " sent <" + NatsBytes.escape(c.bytes()) + ">"
                        + (c.closed() ? " and closed the connection" : ""));
            }
        } else if (step instanceof NatsConversation.Closed s) {
            Pair p = conns.pair(s.connection());
            Both<RawNatsConnection.Read> both = both(() -> p.ref.awaitClose(CLOSE_DEADLINE), () -> p.cand.awaitClose(CLOSE_DEADLINE));
            RawNatsConnection.Read r = both.ref;
            if (!r.closed() || r.bytes().length > 0) {
                throw new AssertionError(where(conv, step) + "the conversation is wrong: reference " + ref.description()
                        + (r.closed() ? " sent <" + NatsBytes.escape(r.bytes()) + "> before closing"
                                : " did not close the connection; it sent <" + NatsBytes.escape(r.bytes()) + ">"));
            }
            RawNatsConnection.Read c = both.cand;
            if (!c.closed() || c.bytes().length > 0) {
                throw new AssertionError(where(conv, step) + "expected the server to close the connection (as "
                        + ref.description() + " does) but " + cand.description()
                        + (c.bytes().length > 0 ? " sent <" + NatsBytes.escape(c.bytes()) + ">" : "")
                        + (c.closed() ? " and then closed it" : " kept it open"));
            }
        } else if (step instanceof NatsConversation.Read rd) {
            compareRead(conv, rd, conns.pair(rd.connection()), ref, cand);
        } else {
            throw new IllegalStateException("unhandled step " + step);
        }
    }

    private void compareRead(NatsConversation conv, NatsConversation.Read rd, Pair p, NatsTarget ref, NatsTarget cand) {
        // Both servers are read at once, so a step costs one quiet period, not two: connections must
        // finish their script before nats-server's first keepalive PING (about 2 s after CONNECT).
        Both<RawNatsConnection.Read> both = both(() -> p.ref.readUntilQuiet(FIRST_BYTE, QUIET), () -> p.cand.readUntilQuiet(FIRST_BYTE, QUIET));
        RawNatsConnection.Read r = both.ref;
        if (r.bytes().length == 0 && !r.closed()) {
            throw new AssertionError(where(conv, rd) + "the conversation is wrong: reference " + ref.description()
                    + " sent nothing within " + FIRST_BYTE + " (use 'silent' to expect nothing)");
        }
        if (TRACE) {
            System.out.println(where(conv, rd) + rd.connection() + " expect " + NatsBytes.escape(r.bytes())
                    + (r.closed() ? "   [closed]" : ""));
        }
        int frames = NatsBytes.countCompleteFrames(r.bytes(), r.bytes().length);
        RawNatsConnection.Read c = both.cand;
        if (!c.closed() && NatsBytes.countCompleteFrames(c.bytes(), c.bytes().length) < frames) {
            // The candidate paused for longer than the quiet period: wait for the rest of its frames.
            p.cand.unread(c.bytes());
            c = p.cand.readFrames(frames, CANDIDATE_DEADLINE, QUIET);
        }
        if (r.closed() && !c.closed()) {
            // The reference closed right after replying; give the candidate the same chance to close.
            RawNatsConnection.Read tail = p.cand.awaitClose(CLOSE_DEADLINE);
            c = new RawNatsConnection.Read(concat(c.bytes(), tail.bytes()), tail.closed());
        }
        String refText = NatsReplyComparison.canonical(r.bytes(), rd.unordered());
        String candText = NatsReplyComparison.canonical(c.bytes(), rd.unordered());
        if (rd.expected() != null) {
            String documented = NatsReplyComparison.canonical(rd.expected(), rd.unordered());
            if (!documented.equals(refText)) {
                throw new AssertionError(where(conv, rd) + "the conversation is wrong: reference " + ref.description()
                        + " did not send the documented reply\n  documented: " + NatsReplyComparison.show(documented)
                        + "\n  reference : " + NatsReplyComparison.show(refText));
            }
        }
        if (!refText.equals(candText) || r.closed() != c.closed()) {
            throw new AssertionError(where(conv, rd) + "replies differ" + NatsReplyComparison.firstDifference(refText, candText)
                    + "\n  expected (" + ref.description() + "): " + NatsReplyComparison.show(refText)
                    + (r.closed() ? "  [then closed the connection]" : "")
                    + "\n  actual   (" + cand.description() + "): " + NatsReplyComparison.show(candText)
                    + (c.closed() ? "  [then closed the connection]" : ""));
        }
    }

    /** Every connection the script did not close itself: same trailing bytes, same open-or-closed state. */
    private void compareFinalStates(NatsConversation conv, Connections conns, NatsTarget ref, NatsTarget cand) {
        Map<String, CompletableFuture<Both<RawNatsConnection.Read>>> finals = new LinkedHashMap<>();
        conns.pairs.forEach((name, p) -> {
            if (!p.closedByClient) {
                finals.put(name, CompletableFuture.supplyAsync(
                        () -> both(() -> p.ref.readUntilQuiet(SILENCE, QUIET), () -> p.cand.readUntilQuiet(SILENCE, QUIET)), READERS));
            }
        });
        for (Map.Entry<String, CompletableFuture<Both<RawNatsConnection.Read>>> e : finals.entrySet()) {
            Both<RawNatsConnection.Read> b = e.getValue().join();
            RawNatsConnection.Read r = b.ref;
            RawNatsConnection.Read c = b.cand;
            String refText = NatsReplyComparison.canonical(r.bytes(), false);
            String candText = NatsReplyComparison.canonical(c.bytes(), false);
            if (!refText.equals(candText) || r.closed() != c.closed()) {
                throw new AssertionError(conv.name() + ".conv end of script, connection " + e.getKey()
                        + ": final states differ"
                        + "\n  expected (" + ref.description() + "): <" + NatsReplyComparison.show(refText) + ">"
                        + (r.closed() ? " and closed" : " and open")
                        + "\n  actual   (" + cand.description() + "): <" + NatsReplyComparison.show(candText) + ">"
                        + (c.closed() ? " and closed" : " and open"));
            }
        }
    }

    /** Runs the two reads at the same time: the reference's on a reader thread, the candidate's here. */
    private static <T> Both<T> both(Supplier<T> refRead, Supplier<T> candRead) {
        CompletableFuture<T> r = CompletableFuture.supplyAsync(refRead, READERS);
        T c = candRead.get();
        return new Both<>(r.join(), c);
    }

    private record Both<T>(T ref, T cand) {}

    private static void sendIgnoringClosed(RawNatsConnection c, byte[] bytes) {
        try {
            c.sendBytes(bytes);
        } catch (UncheckedIOException closedByServer) {
            // see the caller
        }
    }

    private static String where(NatsConversation conv, NatsConversation.Step step) {
        return conv.name() + ".conv line " + step.line() + ": ";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Pair {
        final RawNatsConnection ref;
        final RawNatsConnection cand;
        boolean closedByClient;

        Pair(RawNatsConnection ref, RawNatsConnection cand) {
            this.ref = ref;
            this.cand = cand;
        }
    }

    /** Named connection pairs, opened on first use in script order. */
    private static final class Connections implements AutoCloseable {
        final Map<String, Pair> pairs = new LinkedHashMap<>();
        private final NatsTarget ref;
        private final NatsTarget cand;

        Connections(NatsTarget ref, NatsTarget cand) {
            this.ref = ref;
            this.cand = cand;
        }

        Pair pair(String name) {
            return pairs.computeIfAbsent(name, n -> new Pair(RawNatsConnection.open(ref), RawNatsConnection.open(cand)));
        }

        @Override
        public void close() {
            pairs.values().forEach(p -> {
                p.ref.close();
                p.cand.close();
            });
        }
    }
}
