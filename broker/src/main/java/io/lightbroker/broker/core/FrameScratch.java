package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where one publish encodes its frames (see {@link Broker}). On an event loop: the loop's
 * scratch buffer, from which receivers on the same loop copy at once, so the common case
 * allocates nothing and touches no reference count; a receiver on another loop gets one pooled
 * copy per frame shape, shared by reference count among all such receivers. Off-loop, or for
 * frames larger than the scratch buffer: a pooled buffer per frame shape. NATS frames differ
 * per subscription (the sid), so for them it holds the shared head and control line of a
 * {@link SplitFrame}, which each receiver's outbound copies around the sid, with the payload.
 *
 * <p>Loop-confined (one per {@link LoopContext}), or created per publish off-loop. Holds state
 * only for the duration of one fan-out group; {@link #reset()} releases what it allocated.
 */
final class FrameScratch {
    private final ByteBufAllocator alloc;
    final ByteBuf scratch;
    int index2 = -1;
    int len2;
    int index3 = -1;
    int len3;
    ByteBuf shared2;
    ByteBuf shared3;
    ByteBuf own2;
    ByteBuf own3;

    /** The NATS frames of the current publish: MSG, and HMSG for receivers that take headers. */
    final SplitFrame natsMsg = new SplitFrame();
    final SplitFrame natsHmsg = new SplitFrame();
    /** Where their heads and control lines are: the scratch buffer, or {@link #natsOwn}. */
    private ByteBuf natsBuf;
    private ByteBuf natsOwn;
    /** The leaf links the current publish goes to. */
    final LeafTargets leaves = new LeafTargets();
    /** The publishing thread's counters. */
    final Traffic traffic;

    /** The publishing event loop, or null for an off-loop publish. */
    final LoopContext loop;

    FrameScratch(ByteBufAllocator alloc, ByteBuf scratch, Traffic traffic, LoopContext loop) {
        this.loop = loop;
        this.alloc = alloc;
        this.scratch = scratch;
        this.traffic = traffic;
    }

    /** Room for {@code max} more bytes in the scratch buffer? */
    boolean fits(int max) {
        return scratch != null && scratch.writableBytes() >= max;
    }

    /** A pooled buffer of {@code len} bytes for a frame of its own. */
    ByteBuf own(int len) {
        return alloc.directBuffer(len);
    }

    /** A reference-counted buffer holding exactly the bytes {@code [index, index + len)} of scratch. */
    ByteBuf copy(int index, int len) {
        return alloc.directBuffer(len).writeBytes(scratch, index, len);
    }


    /**
     * Where to encode the next NATS head and control line, needing at most {@code max} bytes: the
     * scratch buffer if both flavours fit in it, else a pooled buffer for this publish (released
     * by {@link #reset()}).
     */
    ByteBuf natsBuffer(int max) {
        if (natsBuf == null) {
            if (fits(2 * max)) {
                natsBuf = scratch;
            } else {
                natsOwn = alloc.directBuffer(2 * max);
                natsBuf = natsOwn;
            }
        }
        return natsBuf;
    }

    void reset() {
        if (scratch != null) {
            scratch.clear();
        }
        index2 = -1;
        index3 = -1;
        Broker.release(shared2, shared3);
        Broker.release(own2, own3);
        shared2 = null;
        shared3 = null;
        own2 = null;
        own3 = null;
        natsMsg.clear();
        natsHmsg.clear();
        leaves.clear();
        natsBuf = null;
        if (natsOwn != null) {
            natsOwn.release();
            natsOwn = null;
        }
    }
}
