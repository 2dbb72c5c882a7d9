package io.lightbroker.broker.nats.diff;

import io.lightbroker.broker.testsupport.NatsServerOptions;
import java.util.List;

/**
 * One scripted NATS conversation, parsed from a {@code .conv} file (format: the README next to the
 * files in {@code src/test/resources/nats-conversations}).
 *
 * @param name file name without extension, used as the test's display name
 * @param title one line saying what behaviour the conversation pins down
 * @param options server options, applied to both nats-server and lightbroker
 * @param steps the script, in order
 */
record NatsConversation(String name, String title, NatsServerOptions options, List<Step> steps) {

    @Override
    public String toString() {
        return name + ": " + title;
    }

    sealed interface Step {
        int line();
    }

    /**
     * The connection sends these bytes; in one write, or with {@code bytewise} one byte per write
     * with a short pause between, so the server sees the frame split at every position.
     */
    record Send(int line, String connection, byte[] bytes, boolean bytewise) implements Step {}

    /**
     * Read what the server sends until it has been quiet; compare. If {@code expected} is not null the
     * reference's (normalised) reply must also equal it, which documents real nats-server behaviour in
     * the file and catches a different reference version. With {@code unordered} the frames may
     * arrive in any order: nats-server walks a connection's queue groups in Go map order, which
     * changes from run to run.
     */
    record Read(int line, String connection, byte[] expected, boolean unordered) implements Step {}

    /** Nothing at all may arrive on the connection for a while. */
    record Silent(int line, String connection) implements Step {}

    /** The server must close the connection, with nothing more sent. */
    record Closed(int line, String connection) implements Step {}

    /** The client closes its side. */
    record Close(int line, String connection) implements Step {}

    /** Opens the connection now (connections otherwise open on first use). */
    record Connect(int line, String connection) implements Step {}

    record Sleep(int line, long millis) implements Step {}
}
