package io.lightbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image's build stage resolves the reactor from the poms alone, so it must copy every module's pom. */
class DockerfileTest {

    @Test
    void buildStageCopiesThePomOfEveryReactorModule() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        String dockerfile = Files.readString(root.resolve("deploy/Dockerfile"));
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        assertThat(modules).isNotEmpty();
        for (String module : modules) {
            assertThat(dockerfile).as("deploy/Dockerfile copies %s/pom.xml", module)
                    .contains("COPY " + module + "/pom.xml " + module + "/");
        }
    }
}
