package io.lightbroker.broker.resp.diff;

import io.lightbroker.broker.testsupport.EmbeddedLightBroker;
import io.lightbroker.broker.testsupport.RedisServerProcess;
import io.lightbroker.broker.testsupport.RespTarget;
import java.util.List;

/**
 * Which server the differential suite compares with the real redis-server: the embedded
 * lightbroker by default. With {@code -Dresp.diff.candidate=redis-server} it is a second,
 * independent redis-server instead; two real servers must agree on every conversation, which proves
 * the harness, its reads and its normalisations are deterministic and do not blame lightbroker for
 * noise.
 */
final class CandidateTarget {

    static final boolean SECOND_REDIS = "redis-server".equals(System.getProperty("resp.diff.candidate", "lightbroker"));
    static final String DESCRIPTION = SECOND_REDIS
            ? "a second real redis-server (harness validation)"
            : "embedded lightbroker";

    private CandidateTarget() {}

    static RespTarget start(List<String> serverArgs) {
        return SECOND_REDIS ? RedisServerProcess.start(serverArgs) : EmbeddedLightBroker.start(serverArgs);
    }
}
