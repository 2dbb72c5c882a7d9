package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inline command line into arguments with the rules of Redis's {@code sdssplitargs}, which
 * {@code redis-cli} users and telnet sessions rely on:
 * <ul>
 *   <li>blanks between arguments are C {@code isspace} (space, \t, \n, \v, \f, \r), but an unquoted
 *       argument ends only at space, \t, \n or \r, so "\vx\v" is the one argument "x\v";</li>
 *   <li>"double quotes" decode \xHH (two hex digits, either case), \n \r \t \b \a, and a backslash
 *       before any other byte yields that byte;</li>
 *   <li>'single quotes' decode only \' ;</li>
 *   <li>a quote may open in the middle of an argument (a"b c" is "ab c"), but a closing quote must be
 *       followed by a blank or the end of the line, otherwise the whole request is "unbalanced quotes";
 *   <li>a quote left open at the end of the line is "unbalanced quotes".</li>
 * </ul>
 * The line never contains a NUL byte: like Redis's {@code strchr}, the parser stops looking for the
 * line end at a NUL, so such a line never completes.
 *
 * <p>Arguments without quotes are recorded as slices of the input; quoted ones are decoded into the
 * scratch buffer of {@link RespArgs}.
 */
final class RespInlineSplitter {

    private RespInlineSplitter() {
    }

    /**
     * Appends the arguments of {@code in[from, to)} to {@code args}, whose offsets are relative to
     * {@code base}. Returns false for unbalanced quotes.
     */
    static boolean split(ByteBuf in, int from, int to, int base, RespArgs args) {
        int p = from;
        while (true) {
            while (p < to && isCSpace(in.getByte(p))) {
                p++;
            }
            if (p >= to) {
                return true;
            }
            int tokenStart = p;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean decoding = false;
            boolean done = false;
            while (!done) {
                byte c = at(in, p, to);
                if (inDouble) {
                    if (c == '\\' && at(in, p + 1, to) == 'x'
                            && isHex(at(in, p + 2, to)) && isHex(at(in, p + 3, to))) {
                        args.appendScratch((byte) (hexValue(at(in, p + 2, to)) * 16 + hexValue(at(in, p + 3, to))));
                        p += 3;
                    } else if (c == '\\' && at(in, p + 1, to) != 0) {
                        p++;
                        args.appendScratch(unescape(in.getByte(p)));
                    } else if (c == '"') {
                        if (!closesCleanly(in, p, to)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        args.appendScratch(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(in, p + 1, to) == '\'') {
                        p++;
                        args.appendScratch((byte) '\'');
                    } else if (c == '\'') {
                        if (!closesCleanly(in, p, to)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        args.appendScratch(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> {
                            if (!decoding) {
                                args.add(tokenStart - base, p - tokenStart);
                            }
                            done = true;
                        }
                        case '"', '\'' -> {
                            if (!decoding) {
                                decoding = true;
                                args.beginScratchArg();
                                for (int i = tokenStart; i < p; i++) {
                                    args.appendScratch(in.getByte(i));
                                }
                            }
                            if (c == '"') {
                                inDouble = true;
                            } else {
                                inSingle = true;
                            }
                        }
                        default -> {
                            if (decoding) {
                                args.appendScratch(c);
                            }
                        }
                    }
                }
                if (at(in, p, to) != 0) {
                    p++;
                }
            }
        }
    }

    /** The byte at {@code i}, or 0 past the end, standing in for the C string's terminator. */
    private static byte at(ByteBuf in, int i, int to) {
        return i < to ? in.getByte(i) : 0;
    }

    private static boolean closesCleanly(ByteBuf in, int quote, int to) {
        byte next = at(in, quote + 1, to);
        return next == 0 || isCSpace(next);
    }

    static boolean isCSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hexValue(byte b) {
        if (b <= '9') {
            return b - '0';
        }
        return (b | 0x20) - 'a' + 10;
    }

    private static byte unescape(byte b) {
        return switch (b) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> b;
        };
    }
}
