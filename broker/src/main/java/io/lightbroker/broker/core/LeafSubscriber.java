package io.lightbroker.broker.core;

/**
 * A leaf-node link to a NATS hub, as a holder of the hub's interest ({@link SubscriptionKind#LEAF}
 * subscriptions). The fan-out sends it at most one LMSG/HMSG per publish, naming the queue
 * groups for which it was picked (only when no local member of the group could take the
 * message), as nats-server sends one message per leaf connection. The frame is encoded by the
 * fan-out, like every other frame, into the publishing loop's scratch buffer.
 *
 * <p>Every method may be called on any publisher's thread and must not block.
 */
public interface LeafSubscriber extends Subscriber {

    /** Whether the hub accepted this connection and it is still open. */
    boolean leafReady();

    /** Whether the hub announced {@code headers: true} (otherwise headers are stripped, as nats-server does). */
    boolean hubTakesHeaders();

    /** The hub's {@code max_payload}: larger messages are not forwarded. */
    int hubMaxPayload();

    /** A message of {@code bytes} message bytes went to the hub. */
    void leafSent(int bytes);

    /** A message for the hub's interest was not forwarded (link down, over budget, too large). */
    void leafDropped();

    /** Leaf links never get back what came from them (nats-server leaf connections are no-echo). */
    @Override
    default boolean echo() {
        return false;
    }
}
