package io.lightbroker.broker.leaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.config.CommandLine;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Leaf remote URLs, where their credentials may come from and how they are shown; what local interest is announced as. */
class LeafConfigTest {

    @Test
    void remoteUrlsCarryUserPasswordOrTokenAndDefaultToPort7422() {
        assertThat(LeafRemote.parse("nats-leaf://hub.example:7422")).isEqualTo(new LeafRemote("nats-leaf", "hub.example", 7422, null, null, null));
        assertThat(LeafRemote.parse("nats-leaf://u:p%40ss@10.0.0.1")).isEqualTo(new LeafRemote("nats-leaf", "10.0.0.1", 7422, "u", "p@ss", null));
        assertThat(LeafRemote.parse("tls://tok@hub:7000")).isEqualTo(new LeafRemote("tls", "hub", 7000, null, null, "tok"));
        assertThat(LeafRemote.parse("tls://tok@hub:7000").tls()).isTrue();
        assertThat(LeafRemote.parseList("nats-leaf://a:1, nats-leaf://b:2")).extracting(LeafRemote::address).containsExactly("a:1", "b:2");
        assertThatThrownBy(() -> LeafRemote.parse("http://u:secret@hub")).hasMessageContaining("nats-leaf://").hasMessageNotContaining("secret");
    }

    @Test
    void repeatedFlagsFormOneFailoverListAndCredentialsAreRefusedOnTheCommandLine() {
        Config c = CommandLine.parse(new String[] {"--leaf-remote", "nats-leaf://a:1", "--leaf-remote", "nats-leaf://b:2"}, Map.of()).config();
        assertThat(c.get(Settings.LEAF_REMOTES)).extracting(LeafRemote::address).containsExactly("a:1", "b:2");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--leaf-remote", "nats-leaf://u:secret@a:1"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LIGHTBROKER_LEAF_REMOTES").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--leaf-password", "x"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("secret");
    }

    @Test
    void theConfigurationApiShowsRemotesWithTheirCredentialsRedacted() {
        Config c = CommandLine.parse(new String[0], Map.of("LIGHTBROKER_LEAF_REMOTES", "nats-leaf://u:secret@a:1,nats-leaf://b:2")).config();
        assertThat(c.redacted().get(Settings.LEAF_REMOTES).raw()).isEqualTo("nats-leaf://[redacted]@a:1,nats-leaf://b:2");
        assertThat(c.get(Settings.LEAF_REMOTES).get(0).password()).isEqualTo("secret");
    }

    private static Subscription sub(SubscriptionKind kind, String subject, String queue) {
        return new Subscription(null, kind, subject.getBytes(StandardCharsets.UTF_8), queue == null ? null : queue.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void localSubscriptionsAreAnnouncedAsTheInterestThatCoversThem() {
        assertThat(InterestMapping.of(sub(SubscriptionKind.NATS, "orders.*", null))).isEqualTo(new InterestMapping.Interest("orders.*", null));
        assertThat(InterestMapping.of(sub(SubscriptionKind.NATS, "jobs", "workers"))).isEqualTo(new InterestMapping.Interest("jobs", "workers"));
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_CHANNEL, "orders.eu", null))).isEqualTo(new InterestMapping.Interest("orders.eu", null));
        // Channels NATS cannot carry as a literal subject stay local.
        for (String local : List.of("has space", "a..b", ".a", "a.", "a.*", ">", "")) {
            assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_CHANNEL, local, null))).as(local).isNull();
        }
        // Globs: the literal tokens before the first glob character, then '>' (Redis's * crosses dots).
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "orders.*", null)).subject()).isEqualTo("orders.>");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "orders.eu.h?llo", null)).subject()).isEqualTo("orders.eu.>");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "orders.eu*", null)).subject()).isEqualTo("orders.>");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "news*", null)).subject()).isEqualTo(">");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "plain.name", null)).subject()).isEqualTo("plain.name");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_PATTERN, "[ab].x", null)).subject()).isEqualTo(">");
        assertThat(InterestMapping.of(sub(SubscriptionKind.RESP_SHARD, "orders", null))).isNull();
        assertThat(InterestMapping.of(sub(SubscriptionKind.LEAF, "hub.interest", null))).isNull();
    }

    @Test
    void interestIsCountedSoTheHubHearsOnlyFirstAndLastForASubjectAndEveryChangeForAQueueGroup() {
        LeafNodes nodes = new LeafNodes();
        List<String> lines = new java.util.ArrayList<>();
        // A link stand-in: LeafNodes tells every link; here the lines are collected through goLive's view.
        Subscription a1 = sub(SubscriptionKind.NATS, "a", null);
        Subscription a2 = sub(SubscriptionKind.RESP_CHANNEL, "a", null);
        Subscription q1 = sub(SubscriptionKind.NATS, "w", "g");
        Subscription q2 = sub(SubscriptionKind.NATS, "w", "g");
        nodes.changed(a1, true);
        nodes.changed(a2, true);
        nodes.changed(q1, true);
        nodes.changed(q2, true);
        nodes.goLive(lines::addAll);
        assertThat(lines).containsExactlyInAnyOrder("LS+ a", "LS+ w g 2");
        nodes.changed(a1, false);
        nodes.changed(q1, false);
        lines.clear();
        nodes.goLive(lines::addAll);
        assertThat(lines).containsExactlyInAnyOrder("LS+ a", "LS+ w g 1");
        nodes.changed(a2, false);
        nodes.changed(q2, false);
        lines.clear();
        nodes.goLive(lines::addAll);
        assertThat(lines).isEmpty();
    }
}
