package io.lightbroker.broker.resp.diff;

import io.lightbroker.broker.testsupport.RawRespConnection;
import io.lightbroker.broker.testsupport.RespBytes;
import io.lightbroker.broker.testsupport.RespTarget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plays one conversation against a reference server (real redis-server) and a candidate at the same
 * time, step by step, and fails on the first reply that differs.
 *
 * <p>How reads stay deterministic: the reference is read until it has been quiet for
 * {@link #QUIET}; the number of complete RESP frames it sent is then what the candidate must send
 * (within {@link #CANDIDATE_DEADLINE}), after which the candidate too must stay quiet for
 * {@link #QUIET}, so extra bytes show up in the diff instead of leaking into the next step. Counting
 * frames rather than bytes lets a normalised field (a version string, a client id) differ in length.
 * Whether the server closed the connection is part of every comparison.
 */
final class ConversationRunner {

    static final Duration QUIET = Duration.ofMillis(Long.getLong("resp.diff.quietMillis", 150));
    static final Duration FIRST_BYTE = Duration.ofSeconds(3);
    // Generous: a deadline, not a timing check; a cold JIT on a loaded CI machine can be slow to parse 7 MB.
    static final Duration CANDIDATE_DEADLINE = Duration.ofSeconds(15);
    static final Duration SILENCE = Duration.ofMillis(300);
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(2);

    private final Function<List<String>, RespTarget> reference;
    private final Function<List<String>, RespTarget> candidate;

    ConversationRunner(Function<List<String>, RespTarget> reference, Function<List<String>, RespTarget> candidate) {
        this.reference = reference;
        this.candidate = candidate;
    }

    void run(Conversation conv) {
        try (RespTarget ref = reference.apply(conv.serverArgs());
                RespTarget cand = candidate.apply(conv.serverArgs());
                Connections conns = new Connections(ref, cand)) {
            for (Conversation.Step step : conv.steps()) {
                play(conv, step, conns, ref, cand);
            }
        }
    }

    private void play(Conversation conv, Conversation.Step step, Connections conns, RespTarget ref, RespTarget cand) {
        if (step instanceof Conversation.Connect c) {
            conns.pair(c.connection());
        } else if (step instanceof Conversation.Sleep s) {
            sleep(s.millis());
        } else if (step instanceof Conversation.Send s) {
            Pair p = conns.pair(s.connection());
            // A server that already closed the connection makes the write fail; that is not the
            // harness's error. The next read or closed step compares the connection states.
            sendIgnoringClosed(p.ref, s.bytes());
            sendIgnoringClosed(p.cand, s.bytes());
        } else if (step instanceof Conversation.Close c) {
            Pair p = conns.pair(c.connection());
            p.ref.close();
            p.cand.close();
        } else if (step instanceof Conversation.Silent s) {
            Pair p = conns.pair(s.connection());
            RawRespConnection.Read r = p.ref.readUntilQuiet(SILENCE, QUIET);
            RawRespConnection.Read c = p.cand.readUntilQuiet(SILENCE, QUIET);
            if (r.bytes().length > 0 || r.closed()) {
                throw new AssertionError(where(conv, step) + "the conversation is wrong: reference " + ref.description()
                        + " was not silent: <" + RespBytes.escape(r.bytes()) + ">" + (r.closed() ? " + close" : ""));
            }
            if (c.bytes().length > 0 || c.closed()) {
                throw new AssertionError(where(conv, step) + "expected silence (as from " + ref.description()
                        + ") but " + cand.description() + " sent <" + RespBytes.escape(c.bytes()) + ">"
                        + (c.closed() ? " and closed the connection" : ""));
            }
        } else if (step instanceof Conversation.Closed s) {
            Pair p = conns.pair(s.connection());
            RawRespConnection.Read r = p.ref.awaitClose(CLOSE_DEADLINE);
            if (!r.closed() || r.bytes().length > 0) {
                throw new AssertionError(where(conv, step) + "the conversation is wrong: reference " + ref.description()
                        + " did not close the connection; it sent <" + RespBytes.escape(r.bytes()) + ">");
            }
            RawRespConnection.Read c = p.cand.awaitClose(CLOSE_DEADLINE);
            if (!c.closed() || c.bytes().length > 0) {
                throw new AssertionError(where(conv, step) + "expected the server to close the connection (as "
                        + ref.description() + " does) but " + cand.description()
                        + (c.bytes().length > 0 ? " sent <" + RespBytes.escape(c.bytes()) + ">" : "")
                        + (c.closed() ? " and then closed it" : " kept it open"));
            }
        } else if (step instanceof Conversation.Read rd) {
            compareRead(conv, rd, conns.pair(rd.connection()), ref, cand);
        } else {
            throw new IllegalStateException("unhandled step " + step);
        }
    }

    private void compareRead(Conversation conv, Conversation.Read rd, Pair p, RespTarget ref, RespTarget cand) {
        RawRespConnection.Read r = p.ref.readUntilQuiet(FIRST_BYTE, QUIET);
        if (r.bytes().length == 0 && !r.closed()) {
            throw new AssertionError(where(conv, rd) + "the conversation is wrong: reference " + ref.description()
                    + " sent nothing within " + FIRST_BYTE + " (use 'silent' to expect nothing)");
        }
        int frames = RespBytes.countCompleteFrames(r.bytes(), r.bytes().length);
        RawRespConnection.Read c = p.cand.readFrames(frames, CANDIDATE_DEADLINE, QUIET);
        if (r.closed() && !c.closed()) {
            // The reference closed right after replying; give the candidate the same chance to close.
            RawRespConnection.Read tail = p.cand.awaitClose(CLOSE_DEADLINE);
            c = new RawRespConnection.Read(concat(c.bytes(), tail.bytes()), tail.closed());
        }
        String refText = ReplyComparison.canonical(r.bytes(), rd.mode(), conv.normalizations());
        String candText = ReplyComparison.canonical(c.bytes(), rd.mode(), conv.normalizations());
        if (rd.expected() != null) {
            String documented = ReplyComparison.canonical(rd.expected(), rd.mode(), conv.normalizations());
            if (!documented.equals(refText)) {
                throw new AssertionError(where(conv, rd) + "the conversation is wrong: reference " + ref.description()
                        + " did not send the documented reply\n  documented: " + ReplyComparison.show(documented)
                        + "\n  reference : " + ReplyComparison.show(refText));
            }
        }
        if (!refText.equals(candText) || r.closed() != c.closed()) {
            throw new AssertionError(where(conv, rd) + "replies differ" + ReplyComparison.firstDifference(refText, candText)
                    + "\n  expected (" + ref.description() + "): " + ReplyComparison.show(refText)
                    + (r.closed() ? "  [then closed the connection]" : "")
                    + "\n  actual   (" + cand.description() + "): " + ReplyComparison.show(candText)
                    + (c.closed() ? "  [then closed the connection]" : "")
                    + (conv.normalizations().isEmpty() ? "" : "\n  after normalisations: " + conv.normalizations().stream()
                            .map(Normalization::description).toList()));
        }
    }

    private static void sendIgnoringClosed(RawRespConnection c, byte[] bytes) {
        try {
            c.sendBytes(bytes);
        } catch (java.io.UncheckedIOException closedByServer) {
            // see the caller
        }
    }

    private static String where(Conversation conv, Conversation.Step step) {
        return conv.name() + ".conv line " + step.line() + ": ";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
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

    private record Pair(RawRespConnection ref, RawRespConnection cand) {}

    /** Named connection pairs, opened on first use in script order (which fixes client ids on Redis). */
    private static final class Connections implements AutoCloseable {
        private final Map<String, Pair> pairs = new LinkedHashMap<>();
        private final RespTarget ref;
        private final RespTarget cand;

        Connections(RespTarget ref, RespTarget cand) {
            this.ref = ref;
            this.cand = cand;
        }

        Pair pair(String name) {
            return pairs.computeIfAbsent(name, n -> new Pair(RawRespConnection.open(ref), RawRespConnection.open(cand)));
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
