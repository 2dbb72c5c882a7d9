package io.lightbroker.broker.nats.clients;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.testsupport.NatsClientTestTarget;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request/reply, headers and no-responders with jnats, as services built on NATS use them. */
class JnatsRequestReplyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private NatsTarget server;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = NatsClientTestTarget.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        for (Connection c : connections) {
            c.close();
        }
        server.close();
    }

    private Connection connect() {
        Connection c = Jnats.connect(server);
        connections.add(c);
        return c;
    }

    private void startEchoResponder(Connection c, String subject) throws Exception {
        Dispatcher d = c.createDispatcher(m -> c.publish(m.getReplyTo(), ("echo:" + new String(m.getData(), UTF_8)).getBytes(UTF_8)));
        d.subscribe(subject);
        c.flush(WAIT);
    }

    @Test
    void requestReturnsTheResponderReply() throws Exception {
        Connection responder = connect();
        Connection requester = connect();
        startEchoResponder(responder, "svc.echo");

        Message reply = requester.request("svc.echo", "hi".getBytes(UTF_8), WAIT);

        assertThat(reply).isNotNull();
        assertThat(new String(reply.getData(), UTF_8)).isEqualTo("echo:hi");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnReply() throws Exception {
        Connection responder = connect();
        Connection requester = connect();
        startEchoResponder(responder, "svc.echo");

        List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(requester.requestWithTimeout("svc.echo", Integer.toString(i).getBytes(UTF_8), WAIT));
        }

        for (int i = 0; i < futures.size(); i++) {
            assertThat(new String(futures.get(i).get(10, TimeUnit.SECONDS).getData(), UTF_8)).isEqualTo("echo:" + i);
        }
    }

    @Test
    void headersRoundTripWithMultipleValuesAndPayload() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription s = sub.subscribe("with.headers");
        sub.flush(WAIT);
        Headers headers = new Headers()
                .add("X-Trace", "a", "b")
                .add("Content-Type", "text/plain");

        pub.publish(NatsMessage.builder().subject("with.headers").replyTo("reply.here").headers(headers).data("body", UTF_8).build());
        Message m = s.nextMessage(WAIT);

        assertThat(m).isNotNull();
        assertThat(m.hasHeaders()).isTrue();
        assertThat(m.getHeaders().get("X-Trace")).containsExactly("a", "b");
        assertThat(m.getHeaders().getFirst("Content-Type")).isEqualTo("text/plain");
        assertThat(m.getReplyTo()).isEqualTo("reply.here");
        assertThat(new String(m.getData(), UTF_8)).isEqualTo("body");
    }

    @Test
    void requestWithHeadersGetsAReplyWithHeaders() throws Exception {
        Connection responder = connect();
        Connection requester = connect();
        Dispatcher d = responder.createDispatcher(m -> responder.publish(NatsMessage.builder()
                .subject(m.getReplyTo())
                .headers(new Headers().add("X-Seen", m.getHeaders().getFirst("X-Request-Id")))
                .data(m.getData())
                .build()));
        d.subscribe("svc.headers");
        responder.flush(WAIT);

        Message reply = requester.request("svc.headers", new Headers().add("X-Request-Id", "42"), "q".getBytes(UTF_8), WAIT);

        assertThat(reply).isNotNull();
        assertThat(reply.getHeaders().getFirst("X-Seen")).isEqualTo("42");
        assertThat(new String(reply.getData(), UTF_8)).isEqualTo("q");
    }

    @Test
    void requestToSubjectWithoutSubscribersFailsWithNoRespondersStatusNotTimeout() {
        Connection requester = Jnats.connect(server, b -> b.reportNoResponders());
        connections.add(requester);

        // The request timeout is long: a broker that ignored no_responders would make this a timeout.
        CompletableFuture<Message> f = requester.requestWithTimeout("svc.nobody", "hi".getBytes(UTF_8), Duration.ofSeconds(30));

        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(JetStreamStatusException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(503);
                    assertThat(e.getStatus().isNoResponders()).isTrue();
                });
    }

    @Test
    void requestWithoutSubscribersIsCancelledByDefault() {
        Connection requester = connect();

        CompletableFuture<Message> f = requester.requestWithTimeout("svc.nobody", "hi".getBytes(UTF_8), Duration.ofSeconds(30));

        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }
}
