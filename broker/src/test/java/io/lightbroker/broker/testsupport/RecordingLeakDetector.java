package io.lightbroker.broker.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Netty's leak detector, recording every leak it reports so that a test can fail on it; Netty's
 * own only logs. Surefire installs it for every broker test through the system property
 * {@code io.netty.customResourceLeakDetector} (broker/pom.xml), which Netty reads when it creates
 * its first detector, before any buffer exists; {@link FailOnNettyLeaks} checks after each test
 * class.
 *
 * <p>How Netty finds a leak: each tracked buffer has a weak reference; when the collector finds the
 * buffer unreachable while it was never released, the reference is queued, and the next
 * {@code track} of any buffer of the same type (at level paranoid, every allocation) reports what
 * is queued. So a dropped buffer is seen only after a collection and a later allocation, which is
 * what {@link #surfaceDroppedBuffers()} forces.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    /** One reported leak: the resource type (usually {@code ByteBuf}) and Netty's access records. */
    public record Leak(String resourceType, String records) {
        @Override
        public String toString() {
            return "LEAK of a " + resourceType + (records.isEmpty() ? " (no access records; run at level paranoid)" : ":" + records);
        }
    }

    private static final ConcurrentLinkedQueue<Leak> LEAKS = new ConcurrentLinkedQueue<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /**
     * Netty's factory looks for this older signature first and logs an error when a custom
     * detector lacks it.
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Report even when Netty's logger is below error level, which would otherwise skip reporting. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(new Leak(resourceType, records));
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(new Leak(resourceType, ""));
        super.reportUntracedLeak(resourceType);
    }

    /** True when Netty creates this detector, i.e. the system property took effect. */
    public static boolean installed() {
        return ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Object.class, 1) instanceof RecordingLeakDetector;
    }

    /**
     * Makes Netty report the buffers dropped so far. Two rounds of: a collection, a wait until the
     * collector has queued the weak references it cleared (a sentinel of our own tells us), then
     * allocations that make the detector drain its queue.
     */
    public static void surfaceDroppedBuffers() {
        for (int round = 0; round < 2; round++) {
            gcAndAwaitReferenceProcessing();
            allocateAndRelease();
        }
    }

    /** Removes and returns the recorded leaks that match, leaving the others for {@link FailOnNettyLeaks}. */
    public static List<Leak> take(Predicate<Leak> which) {
        List<Leak> taken = new ArrayList<>();
        for (Iterator<Leak> it = LEAKS.iterator(); it.hasNext(); ) {
            Leak l = it.next();
            if (which.test(l)) {
                taken.add(l);
                it.remove();
            }
        }
        return taken;
    }

    private static void gcAndAwaitReferenceProcessing() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            // The reference handler thread enqueues what one collection cleared, in no promised
            // order; the second round covers whatever it had not reached with the sentinel.
            queue.remove(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }

    /** Every allocator the broker and the tests use, heap and direct: each allocation runs the detector. */
    private static void allocateAndRelease() {
        ByteBuf[] bufs = {
            PooledByteBufAllocator.DEFAULT.directBuffer(16),
            PooledByteBufAllocator.DEFAULT.heapBuffer(16),
            UnpooledByteBufAllocator.DEFAULT.directBuffer(16),
            UnpooledByteBufAllocator.DEFAULT.heapBuffer(16),
        };
        for (ByteBuf b : bufs) {
            b.release();
        }
    }
}
