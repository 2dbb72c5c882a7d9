package io.lightbroker.broker.nats.diff;

import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.lightbroker.broker.testsupport.NatsServerProcess;
import io.lightbroker.broker.testsupport.NatsTarget;

/**
 * Which server the differential suite compares with the real nats-server: the embedded lightbroker
 * by default. With {@code -Dnats.diff.candidate=nats-server} it is a second, independent
 * nats-server instead; two real servers must agree on every conversation, which proves the harness,
 * its reads and its INFO normalisation are deterministic and do not blame lightbroker for noise.
 */
final class NatsCandidateTarget {

    static final boolean SECOND_NATS_SERVER = "nats-server".equals(System.getProperty("nats.diff.candidate", "lightbroker"));
    static final String DESCRIPTION = SECOND_NATS_SERVER
            ? "a second real nats-server (harness validation)"
            : "embedded lightbroker";

    private NatsCandidateTarget() {}

    static NatsTarget start(NatsServerOptions options) {
        return SECOND_NATS_SERVER ? NatsServerProcess.start(options) : EmbeddedNatsBroker.start(options);
    }
}
