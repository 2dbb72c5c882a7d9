package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples in {@code docs/testing.md} are the test classes in
 * {@code junit/src/test/java/io/lightbroker/junit/examples}, compiled and run with the rest: each
 * code block that follows a {@code <!-- example: path -->} marker must equal that file without
 * its {@code package} line.
 */
class DocsInSyncTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("<!-- example: (\\S+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExampleInTheTestingGuideIsATestThatRuns() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/testing.md"));
        Matcher m = BLOCK.matcher(doc);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Path source = ROOT.resolve(m.group(1));
            assertThat(source).as("example source named in docs/testing.md").exists();
            String code = Files.readString(source).replaceFirst("(?s)^package [^;]+;\\s*", "");
            assertThat(m.group(2).strip()).as("docs/testing.md block for %s", m.group(1)).isEqualTo(code.strip());
            checked.add(m.group(1));
        }
        assertThat(checked).contains(
                "junit/src/test/java/io/lightbroker/junit/examples/LettuceExampleTest.java",
                "junit/src/test/java/io/lightbroker/junit/examples/JnatsExampleTest.java");
    }
}
