package io.lightbroker.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RespAclTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void defaultUserIsOnNopassWithAllChannelsUnlessRedefined() {
        RespUser d = RespAcl.builtIn().defaultUser();
        assertThat(d.authenticatesWithoutPassword()).isTrue();
        assertThat(d.allCommands()).isTrue();
        assertThat(d.allChannels()).isTrue();
        RespUser limited = RespAcl.parse("user default on >pw &news +@all").defaultUser();
        assertThat(limited.authenticatesWithoutPassword()).isFalse();
        assertThat(limited.checkPassword("pw")).isTrue();
        assertThat(limited.canUseChannel(b("news"))).isTrue();
        assertThat(limited.canUseChannel(b("other"))).isFalse();
    }

    @Test
    void newUserStartsOffWithoutChannelsOrCommandsAsInRedis7() {
        RespUser u = RespAcl.parse("user eve >pw").user("eve");
        assertThat(u.checkPassword("pw")).as("off").isFalse();
        assertThat(u.allCommands()).isFalse();
        assertThat(u.canUseChannel(b("x"))).isFalse();
    }

    @Test
    void channelPatternsGlobMatchChannelsButPatternsMustBeLiteral() {
        RespUser u = RespAcl.parse("user alice on >s &orders.* +@all").user("alice");
        assertThat(u.canUseChannel(b("orders.1"))).isTrue();
        assertThat(u.canUseChannel(b("news"))).isFalse();
        assertThat(u.canUsePattern(b("orders.*"))).isTrue();
        assertThat(u.canUsePattern(b("orders.1"))).isFalse();
        assertThat(u.canUsePattern(b("orders.?"))).isFalse();
    }

    @Test
    void requirepassGivesTheDefaultUserThatPasswordOnly() {
        RespAcl acl = RespAcl.parse("user bob on >x +@all").withRequirePass("top");
        assertThat(acl.defaultUser().authenticatesWithoutPassword()).isFalse();
        assertThat(acl.defaultUser().checkPassword("top")).isTrue();
        assertThat(acl.user("bob").checkPassword("x")).isTrue();
    }

    @Test
    void unsupportedRuleIsAConfigErrorNamingTheSettingTheRuleAndTheUser() {
        assertThatThrownBy(() -> Config.builder().flag("resp-users", "user alice on >s +publish").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("resp-users")
                .hasMessageContaining("'+publish'")
                .hasMessageContaining("'alice'");
    }

    @Test
    void aclFileIsReadAndErrorsNameTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on >secret &orders.* +@all\n\nuser bob on nopass allchannels +@all\n");
        Config c = Config.builder().flag("resp-acl-file", file.toString()).build();
        assertThat(c.get(io.lightbroker.broker.config.Settings.RESP_ACL_FILE).user("bob").authenticatesWithoutPassword()).isTrue();
        assertThatThrownBy(() -> Config.builder().flag("resp-acl-file", dir.resolve("missing.acl").toString()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("resp-acl-file");
        assertThatThrownBy(() -> Config.builder().flag("resp-acl-file", file.toString()).flag("resp-users", "user x on").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot both be set");
    }

    @Test
    void channelPatternAfterAllchannelsIsRefusedAsRedisDoes() {
        assertThatThrownBy(() -> RespAcl.parse("user a on allchannels &x")).hasMessageContaining("resetchannels");
    }
}
