package io.lightbroker.broker.resp.diff;

import io.lightbroker.broker.testsupport.RedisServerProcess;
import io.lightbroker.broker.testsupport.RespTarget;
import java.util.List;

/**
 * Which server the differential suite compares with the real redis-server.
 *
 * <p>Phase 1 (this file): a second, independent redis-server. Two real servers must agree on every
 * conversation; that proves the harness, the reads and the normalisations are deterministic and
 * would not blame lightbroker for noise. The lightbroker variant of this file (same class name,
 * starting the embedded {@code LightBroker}) replaces it once the embedded API exists.
 */
final class CandidateTarget {

    static final String DESCRIPTION = "a second real redis-server (harness validation)";

    private CandidateTarget() {}

    static RespTarget start(List<String> serverArgs) {
        return RedisServerProcess.start(serverArgs);
    }
}
