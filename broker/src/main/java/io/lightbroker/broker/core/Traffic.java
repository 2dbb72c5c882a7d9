package io.lightbroker.broker.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Message traffic counters of one publishing thread: messages and bytes in, messages and bytes
 * out, and publishes that reached nobody.
 *
 * <p>Every publish bumps two to five of these, so they must cost next to nothing. Each event
 * loop owns one instance ({@link LoopContext#traffic}) and is its only writer: an update is a
 * plain add published with an opaque store (a plain store on x86; no lock prefix, no CAS, no
 * contended cache line). Publishes that do not run on an event loop (the embedded API on the
 * caller's thread) share one {@link #shared} instance updated with atomic adds.
 * {@link BrokerStats} sums the instances when metrics are read; a reader may miss the last few
 * updates of a loop, which a rate over a scrape interval does not notice.
 */
public final class Traffic {
    private static final VarHandle MSGS_IN;
    private static final VarHandle BYTES_IN;
    private static final VarHandle MSGS_OUT;
    private static final VarHandle BYTES_OUT;
    private static final VarHandle NO_RECEIVERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MSGS_IN = l.findVarHandle(Traffic.class, "msgsIn", long.class);
            BYTES_IN = l.findVarHandle(Traffic.class, "bytesIn", long.class);
            MSGS_OUT = l.findVarHandle(Traffic.class, "msgsOut", long.class);
            BYTES_OUT = l.findVarHandle(Traffic.class, "bytesOut", long.class);
            NO_RECEIVERS = l.findVarHandle(Traffic.class, "noReceivers", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** True when several threads write this instance (atomic adds), false for a loop's own. */
    private final boolean shared;
    @SuppressWarnings("unused") // via MSGS_IN
    private long msgsIn;
    @SuppressWarnings("unused") // via BYTES_IN
    private long bytesIn;
    @SuppressWarnings("unused") // via MSGS_OUT
    private long msgsOut;
    @SuppressWarnings("unused") // via BYTES_OUT
    private long bytesOut;
    @SuppressWarnings("unused") // via NO_RECEIVERS
    private long noReceivers;

    Traffic(boolean shared) {
        this.shared = shared;
    }

    void published(long bytes) {
        add(MSGS_IN, 1);
        add(BYTES_IN, bytes);
    }

    void delivered(long msgs, long bytes) {
        add(MSGS_OUT, msgs);
        add(BYTES_OUT, bytes);
    }

    void noReceivers() {
        add(NO_RECEIVERS, 1);
    }

    private void add(VarHandle h, long d) {
        if (shared) {
            h.getAndAdd(this, d);
        } else {
            h.setOpaque(this, (long) h.getOpaque(this) + d);
        }
    }

    long msgsIn() {
        return (long) MSGS_IN.getOpaque(this);
    }

    long bytesIn() {
        return (long) BYTES_IN.getOpaque(this);
    }

    long msgsOut() {
        return (long) MSGS_OUT.getOpaque(this);
    }

    long bytesOut() {
        return (long) BYTES_OUT.getOpaque(this);
    }

    long withoutReceivers() {
        return (long) NO_RECEIVERS.getOpaque(this);
    }
}
