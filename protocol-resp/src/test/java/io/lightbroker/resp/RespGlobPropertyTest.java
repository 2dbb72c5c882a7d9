package io.lightbroker.resp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RespGlob} against an independent reference: the glob is translated to a java.util.regex
 * pattern following Redis's documented rules and quirks, and the regex engine does the matching.
 */
class RespGlobPropertyTest {

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab*?[]^-\\\u00e9").ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> subjects() {
        return Arbitraries.strings().withChars("ab[]^-\\*?\u00e9").ofMaxLength(8);
    }

    @Property(tries = 20000)
    void globMatchesLikeTheRegexReference(@ForAll("patterns") String pattern, @ForAll("subjects") String subject) {
        byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
        byte[] s = subject.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RespGlob.match(p, s)).as("pattern %s subject %s", pattern, subject)
                .isEqualTo(referenceMatch(p, s));
    }

    @Property(tries = 5000)
    void everyMatchStartsWithTheLiteralPrefix(@ForAll("patterns") String pattern, @ForAll("subjects") String subject) {
        byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
        byte[] s = subject.getBytes(StandardCharsets.ISO_8859_1);
        if (RespGlob.match(p, s)) {
            assertThat(subject).startsWith(pattern.substring(0, RespGlob.literalPrefixLength(p)));
        }
    }

    static boolean referenceMatch(byte[] pattern, byte[] subject) {
        if (subject.length == 0) {
            return pattern.length == 0;
        }
        return Pattern.compile(toRegex(pattern), Pattern.DOTALL)
                .matcher(new String(subject, StandardCharsets.ISO_8859_1)).matches();
    }

    /**
     * Redis glob to regex. A set is collected as the exact bytes it admits, so its parsing quirks
     * (ranges that take ']' as their end, sets missing ']', signed-char ranges) are spelled out here.
     */
    static String toRegex(byte[] p) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = p.length;
        while (i < n) {
            byte b = p[i];
            if (b == '*') {
                re.append(".*");
                i++;
            } else if (b == '?') {
                re.append('.');
                i++;
            } else if (b == '\\') {
                if (i + 1 < n) {
                    re.append(literal(p[i + 1]));
                    i += 2;
                } else {
                    re.append(literal(b));
                    i++;
                }
            } else if (b == '[') {
                i++;
                boolean negate = i < n && p[i] == '^';
                if (negate) {
                    i++;
                }
                boolean[] admits = new boolean[256];
                while (i < n && p[i] != ']') {
                    if (p[i] == '\\' && i + 1 < n) {
                        admits[p[i + 1] & 0xff] = true;
                        i += 2;
                    } else if (i + 2 < n && p[i + 1] == '-') {
                        int lo = Math.min(p[i], p[i + 2]);
                        int hi = Math.max(p[i], p[i + 2]);
                        for (int v = lo; v <= hi; v++) {
                            admits[v & 0xff] = true;
                        }
                        i += 3;
                    } else {
                        admits[p[i] & 0xff] = true;
                        i++;
                    }
                }
                if (i < n) {
                    i++;
                }
                StringBuilder set = new StringBuilder();
                for (int v = 0; v < 256; v++) {
                    if (admits[v] != negate) {
                        set.append(String.format("\\x{%02x}", v));
                    }
                }
                re.append(set.length() == 0 ? "(?!)" : "[" + set + "]");
            } else {
                re.append(literal(b));
                i++;
            }
        }
        return re.toString();
    }

    private static String literal(byte b) {
        return String.format("\\x{%02x}", b & 0xff);
    }
}
