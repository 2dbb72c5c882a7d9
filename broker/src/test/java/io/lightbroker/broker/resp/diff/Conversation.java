package io.lightbroker.broker.resp.diff;

import java.util.List;

/**
 * One scripted RESP conversation, parsed from a {@code .conv} file (format: the README next to the
 * files in {@code src/test/resources/resp-conversations}).
 *
 * @param name file name without extension, used as the test's display name
 * @param title one line saying what behaviour the conversation pins down
 * @param serverArgs extra server arguments in redis-server command-line form, e.g. {@code --requirepass x}
 * @param normalizations rewrites applied to both servers' replies before comparison; few and explicit
 * @param steps the script, in order
 */
record Conversation(String name, String title, List<String> serverArgs, List<Normalization> normalizations, List<Step> steps) {

    /** Test display name: the file name and what it shows. */
    @Override
    public String toString() {
        return name + ": " + title;
    }

    /** How a read compares the two servers' replies. */
    enum ReadMode {
        /** Byte for byte, in order. */
        EXACT,
        /**
         * The top-level frames may come in any order (Redis iterates a hash table, whose order depends
         * on a random per-process seed), but the integer counts they carry must follow the same
         * sequence. This is the shape of "unsubscribe from all": the channels come in hash order while
         * the remaining-subscription count counts down.
         */
        UNORDERED,
        /** Each top-level array's elements are sorted before comparison (e.g. PUBSUB CHANNELS). */
        SORTED_ELEMENTS
    }

    sealed interface Step {
        int line();
    }

    /** The connection sends these exact bytes in one write. */
    record Send(int line, String connection, byte[] bytes) implements Step {}

    /**
     * Read what the server sends until it has been quiet; compare. If {@code expected} is not null,
     * the reference server's (normalised) reply must also equal it, which documents real behaviour in
     * the file and catches a different reference version.
     */
    record Read(int line, String connection, ReadMode mode, byte[] expected) implements Step {}

    /** Nothing at all may arrive on the connection for a while. */
    record Silent(int line, String connection) implements Step {}

    /** The server must have closed the connection, with nothing more sent. */
    record Closed(int line, String connection) implements Step {}

    /** The client closes its side. */
    record Close(int line, String connection) implements Step {}

    /** Opens the connection now (connections otherwise open on first use). */
    record Connect(int line, String connection) implements Step {}

    record Sleep(int line, long millis) implements Step {}
}
