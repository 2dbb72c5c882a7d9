package io.lightbroker.broker.nats.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.testsupport.NatsServerProcess;
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
 * Plays every conversation in {@code src/test/resources/nats-conversations} against the real
 * nats-server (the reference) and the {@link NatsCandidateTarget}, and requires identical replies.
 * Each conversation gets fresh servers started with its {@code option:} lines.
 *
 * <p>Conversations on which lightbroker is known to disagree live in
 * {@code nats-conversations-failing}, which this test does not load, until the broker is fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsDifferentialTest {

    static final int MINIMUM_CORPUS_SIZE = 45;

    private final NatsConversationRunner runner =
            new NatsConversationRunner(NatsServerProcess::start, NatsCandidateTarget::start);
    private final AtomicInteger played = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    /**
     * {@code -Dnats.diff.only=23,41-queue} plays only the files whose names start with one of the
     * prefixes; {@code -Dnats.diff.dir=nats-conversations-failing} plays the parked conversations
     * instead (to check a broker fix, or that they still pass between two real servers).
     */
    static Stream<NatsConversation> corpus() {
        List<String> only = Stream.of(System.getProperty("nats.diff.only", "").split(","))
                .filter(s -> !s.isBlank()).toList();
        return conversationFiles(System.getProperty("nats.diff.dir", "nats-conversations")).stream()
                .filter(f -> only.isEmpty() || only.stream().anyMatch(f.getFileName().toString()::startsWith))
                .map(NatsDifferentialTest::load);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void candidateRepliesExactlyLikeNatsServer(NatsConversation conversation) {
        played.incrementAndGet();
        runner.run(conversation);
        passed.incrementAndGet();
    }

    @Test
    void corpusHasAtLeast45ParseableConversationsWithDistinctNumbers() {
        List<Path> files = conversationFiles("nats-conversations");
        assertThat(files).hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS_SIZE);
        assertThat(files).allSatisfy(f -> assertThat(f.getFileName().toString()).matches("\\d\\d-[a-z0-9-]+\\.conv"));
        assertThat(files).allSatisfy(NatsDifferentialTest::load);
        List<Path> failing = conversationFiles("nats-conversations-failing");
        assertThat(failing).allSatisfy(NatsDifferentialTest::load);
        Stream<String> numbers = Stream.concat(files.stream(), failing.stream()).map(f -> f.getFileName().toString().substring(0, 2));
        assertThat(numbers.distinct().count()).isEqualTo(files.size() + failing.size());
    }

    @AfterAll
    void printSummary() {
        System.out.printf("NATS differential corpus: %d conversations (+%d parked in nats-conversations-failing), "
                        + "%d played, %d passed, %d failed (reference: real nats-server; candidate: %s)%n",
                conversationFiles("nats-conversations").size(), conversationFiles("nats-conversations-failing").size(),
                played.get(), passed.get(), played.get() - passed.get(), NatsCandidateTarget.DESCRIPTION);
    }

    static List<Path> conversationFiles(String directory) {
        URL url = NatsDifferentialTest.class.getClassLoader().getResource(directory);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NatsConversation load(Path file) {
        String fileName = file.getFileName().toString();
        try {
            return NatsConversationParser.parse(fileName.substring(0, fileName.length() - ".conv".length()), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
