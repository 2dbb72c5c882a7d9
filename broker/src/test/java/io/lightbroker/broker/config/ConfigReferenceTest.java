package io.lightbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    /** Regenerate with {@code lightbroker --help-config > docs/configuration.md} after changing {@link Settings}. */
    @Test
    void checkedInReferenceEqualsTheGeneratedOne() throws IOException {
        Path doc = findUp(Path.of("").toAbsolutePath(), "docs/configuration.md");
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/configuration.md is stale; regenerate it with: lightbroker --help-config > docs/configuration.md")
                .isEqualTo(ConfigReference.markdown());
    }

    @Test
    void referenceListsEverySettingWithItsVariable() {
        String md = ConfigReference.markdown();
        for (Setting<?> s : Settings.all()) {
            assertThat(md).contains("| `" + s.name() + "` |", "`" + s.envVar() + "`");
        }
    }

    @Test
    void secretsAreMarkedWithTheirFileVariable() {
        assertThat(ConfigReference.markdown()).contains("`LIGHTBROKER_ADMIN_TOKEN_FILE`", "Secret: not accepted as a flag.");
    }

    private static Path findUp(Path from, String relative) {
        for (Path d = from; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + from);
    }
}
