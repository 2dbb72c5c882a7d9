package io.lightbroker.nats.leaf;

/** A frame from the hub that cannot be parsed; the link is dropped and reconnects. */
public final class LeafProtocolException extends RuntimeException {
    public LeafProtocolException(String message) {
        super(message);
    }
}
