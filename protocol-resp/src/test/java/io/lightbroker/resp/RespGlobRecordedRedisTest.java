package io.lightbroker.resp;

import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test against answers recorded from redis-server 7.0.15: 3000 patterns over an alphabet of
 * glob metacharacters, high bytes and NUL, each run as {@code PUBSUB CHANNELS <pattern>} against 400
 * subscribed channels (including the empty one), which Redis answers with {@code stringmatchlen}.
 */
class RespGlobRecordedRedisTest {

    @Test
    void everyRecordedPatternMatchesExactlyTheChannelsRedisListed() throws IOException {
        List<byte[]> subjects = new ArrayList<>();
        int patterns = 0;
        List<String> mismatches = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("glob-redis-7.0.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("s ")) {
                    subjects.add(ByteBufUtil.decodeHexDump(line.substring(2)));
                } else if (line.startsWith("p ")) {
                    String[] parts = line.split(" ", -1);
                    byte[] pattern = ByteBufUtil.decodeHexDump(parts[1]);
                    TreeSet<Integer> expected = new TreeSet<>();
                    if (!parts[2].isEmpty()) {
                        for (String i : parts[2].split(",")) {
                            expected.add(Integer.parseInt(i));
                        }
                    }
                    TreeSet<Integer> actual = new TreeSet<>();
                    for (int i = 0; i < subjects.size(); i++) {
                        if (RespGlob.match(pattern, subjects.get(i))) {
                            actual.add(i);
                        }
                    }
                    if (!actual.equals(expected)) {
                        mismatches.add(parts[1] + " expected " + expected + " got " + actual);
                    }
                    patterns++;
                }
            }
        }
        assertThat(subjects).hasSize(400);
        assertThat(patterns).isEqualTo(3000);
        assertThat(mismatches).isEmpty();
    }
}
