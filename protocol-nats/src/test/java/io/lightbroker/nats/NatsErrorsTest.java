package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NatsErrorsTest {

    @Test
    void permissionViolationsQuoteLikeGo() {
        assertThat(NatsErrors.publishPermissionViolation("foo.bar"))
            .isEqualTo("Permissions Violation for Publish to \"foo.bar\"");
        assertThat(NatsErrors.subscriptionPermissionViolation("foo.>", null))
            .isEqualTo("Permissions Violation for Subscription to \"foo.>\"");
        assertThat(NatsErrors.subscriptionPermissionViolation("foo", "q"))
            .isEqualTo("Permissions Violation for Subscription to \"foo\" using queue \"q\"");
        assertThat(NatsErrors.publishReplyPermissionViolation("_INBOX.1"))
            .isEqualTo("Permissions Violation for Publish with Reply of \"_INBOX.1\"");
    }

    @Test
    void goQuoteEscapesQuotesBackslashesAndControls() {
        assertThat(NatsErrors.goQuote("a\"b\\c\td\u0001\u007fé")).isEqualTo("\"a\\\"b\\\\c\\td\\x01\\x7fé\"");
    }

    @Test
    void textsAreExactlyWhatNatsServerSends() {
        assertThat(NatsErrors.UNKNOWN_PROTOCOL_OPERATION).isEqualTo("Unknown Protocol Operation");
        assertThat(NatsErrors.MAXIMUM_PAYLOAD_VIOLATION).isEqualTo("Maximum Payload Violation");
        assertThat(NatsErrors.MAXIMUM_CONTROL_LINE_EXCEEDED).isEqualTo("maximum control line exceeded");
        assertThat(NatsErrors.INVALID_SUBJECT).isEqualTo("Invalid Subject");
        assertThat(NatsErrors.INVALID_PUBLISH_SUBJECT).isEqualTo("Invalid Publish Subject");
        assertThat(NatsErrors.INVALID_CLIENT_PROTOCOL).isEqualTo("invalid client protocol");
        assertThat(NatsErrors.NO_RESPONDERS_REQUIRES_HEADERS).isEqualTo("no responders requires headers support");
    }
}
