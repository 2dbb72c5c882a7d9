package io.lightbroker.broker.nats.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.testsupport.NatsBytes;
import org.junit.jupiter.api.Test;

/**
 * The harness must mask only what legitimately differs between two correct servers; these show that
 * every other difference in an INFO line, and any difference elsewhere, still fails a comparison.
 */
class NatsReplyComparisonTest {

    private static final String NATS_INFO = "INFO {\"server_id\":\"NAAA\",\"server_name\":\"NAAA\",\"version\":\"2.9.10\",\"proto\":1,"
            + "\"go\":\"go1.19.8\",\"host\":\"127.0.0.1\",\"port\":4222,\"headers\":true,\"max_payload\":1048576,"
            + "\"client_id\":5,\"client_ip\":\"127.0.0.1\"} \r\n";

    private static String canonical(String text) {
        return NatsReplyComparison.canonical(NatsBytes.latin1(text), false);
    }

    @Test
    void serverIdentityAndRuntimeFieldsAreMasked() {
        String lightbroker = "INFO {\"server_id\":\"NBBBBB\",\"server_name\":\"lightbroker\",\"version\":\"2.9.10\",\"proto\":1,"
                + "\"java\":\"17.0.15\",\"host\":\"127.0.0.1\",\"port\":40000,\"headers\":true,\"max_payload\":1048576,"
                + "\"client_id\":1,\"client_ip\":\"127.0.0.1\"} \r\n";

        assertThat(canonical(lightbroker)).isEqualTo(canonical(NATS_INFO));
    }

    @Test
    void differentMaxPayloadStillDiffers() {
        assertThat(canonical(NATS_INFO.replace("1048576", "1024"))).isNotEqualTo(canonical(NATS_INFO));
    }

    @Test
    void missingClientIdStillDiffers() {
        assertThat(canonical(NATS_INFO.replace("\"client_id\":5,", ""))).isNotEqualTo(canonical(NATS_INFO));
    }

    @Test
    void extraAuthRequiredStillDiffers() {
        assertThat(canonical(NATS_INFO.replace("\"headers\":true,", "\"headers\":true,\"auth_required\":true,")))
                .isNotEqualTo(canonical(NATS_INFO));
    }

    @Test
    void missingTrailingSpaceBeforeCrlfStillDiffers() {
        assertThat(canonical(NATS_INFO.replace("} \r\n", "}\r\n"))).isNotEqualTo(canonical(NATS_INFO));
    }

    @Test
    void messageFramesAreComparedByteForByte() {
        assertThat(canonical("MSG foo 1 2\r\nhi\r\n")).isNotEqualTo(canonical("MSG foo 1 2\r\nho\r\n"));
        assertThat(canonical("MSG foo 1 2\r\nhi\r\n")).isNotEqualTo(canonical("MSG  foo 1 2\r\nhi\r\n"));
    }

    @Test
    void unorderedComparisonIgnoresOrderButNotDuplicates() {
        byte[] a = NatsBytes.latin1("MSG foo 1 2\r\nhi\r\nMSG foo 2 2\r\nhi\r\n");
        byte[] b = NatsBytes.latin1("MSG foo 2 2\r\nhi\r\nMSG foo 1 2\r\nhi\r\n");
        byte[] dup = NatsBytes.latin1("MSG foo 2 2\r\nhi\r\nMSG foo 1 2\r\nhi\r\nMSG foo 1 2\r\nhi\r\n");

        assertThat(NatsReplyComparison.canonical(a, true)).isEqualTo(NatsReplyComparison.canonical(b, true));
        assertThat(NatsReplyComparison.canonical(dup, true)).isNotEqualTo(NatsReplyComparison.canonical(a, true));
    }

    @Test
    void frameScannerCountsMessagesWhosePayloadContainsCrlf() {
        byte[] bytes = NatsBytes.latin1("MSG bin 1 6\r\n\r\n\0\u00ff\r\n\r\nPONG\r\nHMSG h 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPI");

        assertThat(NatsBytes.countCompleteFrames(bytes, bytes.length)).isEqualTo(3);
        assertThat(NatsBytes.splitFrames(bytes)).hasSize(4);
    }
}
