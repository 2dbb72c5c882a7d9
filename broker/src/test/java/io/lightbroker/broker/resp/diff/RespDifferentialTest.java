package io.lightbroker.broker.resp.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.testsupport.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays every conversation in {@code src/test/resources/resp-conversations} against the real
 * redis-server (the reference) and the {@link CandidateTarget}, and requires identical replies.
 * Each conversation gets fresh servers started with its {@code server:} arguments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RespDifferentialTest {

    static final int MINIMUM_CORPUS_SIZE = 45;

    private final ConversationRunner runner =
            new ConversationRunner(RedisServerProcess::start, CandidateTarget::start);
    private final AtomicInteger played = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    /** {@code -Dresp.diff.only=23,41-sharded} plays only the files whose names start with one of the prefixes. */
    static Stream<Conversation> corpus() {
        List<String> only = List.of(System.getProperty("resp.diff.only", "").split(",")).stream()
                .filter(s -> !s.isBlank()).toList();
        return conversationFiles().stream()
                .filter(f -> only.isEmpty() || only.stream().anyMatch(f.getFileName().toString()::startsWith))
                .map(RespDifferentialTest::load);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void candidateRepliesExactlyLikeRedis(Conversation conversation) {
        played.incrementAndGet();
        runner.run(conversation);
        passed.incrementAndGet();
    }

    @Test
    void corpusHasAtLeast45ParseableConversationsWithDistinctNumbers() {
        List<Path> files = conversationFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS_SIZE);
        // Two digits up to 99, then three (100 on: ACL users).
        assertThat(files.stream().map(f -> f.getFileName().toString().split("-", 2)[0]).distinct())
                .hasSameSizeAs(files);
        assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("(\\d\\d|1\\d\\d)-[a-z0-9-]+\\.conv"));
    }

    @AfterAll
    void printSummary() {
        System.out.printf("RESP differential corpus: %d conversations, %d played, %d passed, %d failed (reference: real redis-server; candidate: %s)%n",
                conversationFiles().size(), played.get(), passed.get(), played.get() - passed.get(),
                CandidateTarget.DESCRIPTION);
    }

    static List<Path> conversationFiles() {
        URL url = RespDifferentialTest.class.getClassLoader().getResource("resp-conversations");
        if (url == null) {
            throw new IllegalStateException("resp-conversations is not on the test classpath");
        }
        try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Conversation load(Path file) {
        String fileName = file.getFileName().toString();
        try {
            return ConversationParser.parse(fileName.substring(0, fileName.length() - ".conv".length()), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
