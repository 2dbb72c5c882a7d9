package io.lightbroker.broker.resp.diff;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rewrite applied to each reply frame, from both servers, before they are compared; for the few
 * fields that legitimately differ between two correct servers (client ids, version strings). The
 * frame text is the ISO-8859-1 decoding of its bytes, so {@code \r\n} in a pattern matches CRLF.
 */
record Normalization(String description, Pattern pattern, String replacement) {

    /**
     * {@code mask <key>}: the value that follows the bulk string {@code key} in a map or flat
     * key/value array (RESP2 HELLO) becomes {@code <key>}. Covers bulk, simple-string and integer values.
     */
    static Normalization maskValueAfterKey(String key) {
        String k = Pattern.quote(key);
        Pattern p = Pattern.compile("(\\$" + key.length() + "\\r\\n" + k + "\\r\\n)(?:\\$\\d+\\r\\n[^\\r\\n]*|[+:][^\\r\\n]*)\\r\\n");
        return new Normalization("mask " + key, p, "$1<" + Matcher.quoteReplacement(key) + ">\r\n");
    }

    static Normalization regex(String pattern, String replacement) {
        return new Normalization("regex " + pattern + " => " + replacement, Pattern.compile(pattern), replacement);
    }

    String apply(String frame) {
        return pattern.matcher(frame).replaceAll(replacement);
    }
}
