package io.lightbroker.broker.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * NATS subscriptions in a token trie, the shape of nats-server's sublist: one level per
 * {@code .}-separated token, literal children in a hash map, the {@code *} child kept apart,
 * and {@code >} subscriptions stored on the node before it (they match one or more further
 * tokens, so {@code foo.>} does not match {@code foo}).
 *
 * <p>Threading: mutations are serialised by the owning {@link SubscriptionIndex}'s lock and
 * publish new immutable arrays through volatile fields; lookups are lock-free. Empty nodes are
 * pruned on removal so subject churn does not grow the trie.
 */
final class NatsTrie {

    private static final class Node {
        final ConcurrentHashMap<SubjectKey, Node> literal = new ConcurrentHashMap<>();
        volatile Node star;
        /** Subscriptions whose subject ends at this node. */
        volatile Subscription[] here = MatchResult.NO_SUBS;
        /** Subscriptions whose next and last token is {@code >}. */
        volatile Subscription[] tail = MatchResult.NO_SUBS;

        boolean isEmpty() {
            return literal.isEmpty() && star == null && here.length == 0 && tail.length == 0;
        }
    }

    private final Node root = new Node();
    private volatile int count;

    int count() {
        return count;
    }

    void add(Subscription s) {
        List<byte[]> tokens = tokens(s.subject);
        Node n = root;
        int last = tokens.size() - 1;
        for (int i = 0; i < last; i++) {
            n = child(n, tokens.get(i), true);
        }
        byte[] t = tokens.get(last);
        if (isGt(t)) {
            n.tail = Subs.with(n.tail, s);
        } else {
            n = child(n, t, true);
            n.here = Subs.with(n.here, s);
        }
        count++;
    }

    boolean remove(Subscription s) {
        List<byte[]> tokens = tokens(s.subject);
        Node[] path = new Node[tokens.size() + 1];
        Node n = root;
        path[0] = n;
        int last = tokens.size() - 1;
        boolean gt = isGt(tokens.get(last));
        int depth = gt ? last : last + 1;
        for (int i = 0; i < depth; i++) {
            n = child(n, tokens.get(i), false);
            if (n == null) {
                return false;
            }
            path[i + 1] = n;
        }
        if (gt) {
            Subscription[] r = Subs.without(n.tail, s);
            if (r == n.tail) {
                return false;
            }
            n.tail = r;
        } else {
            Subscription[] r = Subs.without(n.here, s);
            if (r == n.here) {
                return false;
            }
            n.here = r;
        }
        for (int i = depth; i > 0 && path[i].isEmpty(); i--) {
            byte[] t = tokens.get(i - 1);
            if (isStar(t)) {
                path[i - 1].star = null;
            } else {
                path[i - 1].literal.remove(new SubjectKey(t));
            }
        }
        count--;
        return true;
    }

    private static Node child(Node n, byte[] token, boolean create) {
        if (isStar(token)) {
            if (n.star == null && create) {
                n.star = new Node();
            }
            return n.star;
        }
        SubjectKey k = new SubjectKey(token);
        Node c = n.literal.get(k);
        if (c == null && create) {
            c = new Node();
            n.literal.put(k, c);
        }
        return c;
    }

    /**
     * Appends every subscription matching {@code subject}, in nats-server's order: at each level
     * the {@code >} subscriptions, then everything under the {@code *} branch, then on down the
     * literal branch; at the end the literal node's subscriptions, then the last {@code *} node's.
     * (For {@code foo.bar} and subscriptions {@code foo.bar}, {@code foo.*}, {@code foo.>},
     * {@code >}, {@code *.bar}, {@code *.*} that gives {@code > *.bar *.* foo.> foo.bar foo.*},
     * as nats-server 2.9 sends them.) A published wildcard token is matched literally, as
     * nats-server does: {@code foo.*} reaches {@code SUB foo.*} and {@code SUB foo.>}, not
     * {@code SUB foo.bar}.
     */
    void match(byte[] subject, List<Subscription> out) {
        if (count == 0) {
            return;
        }
        match(root, tokens(subject), 0, out);
    }

    private static void match(Node level, List<byte[]> tokens, int from, List<Subscription> out) {
        Node l = level;
        Node n = null;
        Node pwc = null;
        for (int i = from; i < tokens.size(); i++) {
            if (l == null) {
                return;
            }
            out.addAll(Arrays.asList(l.tail));
            pwc = l.star;
            if (pwc != null) {
                match(pwc, tokens, i + 1, out);
            }
            n = l.literal.get(new SubjectKey(tokens.get(i)));
            l = n;
        }
        if (n != null) {
            out.addAll(Arrays.asList(n.here));
        }
        if (pwc != null) {
            out.addAll(Arrays.asList(pwc.here));
        }
    }

    private static boolean isStar(byte[] t) {
        return t.length == 1 && t[0] == '*';
    }

    private static boolean isGt(byte[] t) {
        return t.length == 1 && t[0] == '>';
    }

    static List<byte[]> tokens(byte[] subject) {
        List<byte[]> out = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i <= subject.length; i++) {
            if (i == subject.length || subject[i] == '.') {
                out.add(Arrays.copyOfRange(subject, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Visits every subscription; lock-free, so it may miss concurrent changes (admin API). */
    void forEach(Consumer<Subscription> visitor) {
        forEach(root, visitor);
    }

    private static void forEach(Node n, Consumer<Subscription> visitor) {
        for (Subscription s : n.here) {
            visitor.accept(s);
        }
        for (Subscription s : n.tail) {
            visitor.accept(s);
        }
        for (Node c : n.literal.values()) {
            forEach(c, visitor);
        }
        Node star = n.star;
        if (star != null) {
            forEach(star, visitor);
        }
    }
}
