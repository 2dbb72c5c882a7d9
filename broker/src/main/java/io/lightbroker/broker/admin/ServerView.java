package io.lightbroker.broker.admin;

/**
 * What the admin API needs of the running server beyond the {@code Broker} core: identity,
 * bound ports and the lifecycle. Implemented by the server so that {@code admin} does not
 * depend on {@code server}.
 */
public interface ServerView {
    String serverId();

    long startMillis();

    /** The address the listeners bind to. */
    String host();

    /** The bound port of a listener ({@code resp}, {@code nats}, {@code admin}), or -1 when it is not listening. */
    int port(String listener);

    /** Started and not draining: what {@code /readyz} reports. */
    boolean ready();

    /** Starts the graceful drain and returns at once. */
    void drain();

    /** Leaf-node links to NATS hubs; empty when none are configured. */
    default java.util.List<io.lightbroker.broker.leaf.LeafLink> leafLinks() {
        return java.util.List.of();
    }
}
