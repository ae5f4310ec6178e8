package io.tunnelgate.access;

/**
 * A binary trie of networks with a value each, searched for the longest prefix that contains an
 * address (nginx's radix tree, which {@code geo} uses). One tree holds one address family. Built
 * while the config loads; lookups walk at most one node per address bit and allocate nothing.
 *
 * @param <V> the value type
 */
final class NetworkTree<V> {
    /** One prefix; {@code value} null when no network ends here. */
    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        V value;
    }

    private final Node<V> root = new Node<>();

    /**
     * Stores {@code value} for the network of the first {@code prefix} bits of {@code net}.
     *
     * @return the value this network had and no longer has, or null
     */
    V put(byte[] net, int prefix, V value) {
        Node<V> n = root;
        for (int bit = 0; bit < prefix; bit++) {
            Node<V> next = bit(net, 0, bit) ? n.one : n.zero;
            if (next == null) {
                next = new Node<>();
                if (bit(net, 0, bit)) {
                    n.one = next;
                } else {
                    n.zero = next;
                }
            }
            n = next;
        }
        V old = n.value;
        n.value = value;
        return old;
    }

    /**
     * Removes the value of exactly this network.
     *
     * @return false when the network has no value (nginx warns {@code no network ... to delete})
     */
    boolean delete(byte[] net, int prefix) {
        Node<V> n = root;
        for (int bit = 0; bit < prefix && n != null; bit++) {
            n = bit(net, 0, bit) ? n.one : n.zero;
        }
        if (n == null || n.value == null) {
            return false;
        }
        n.value = null;
        return true;
    }

    /** Stores {@code value} for the whole address space unless something is stored there already. */
    void putDefaultIfAbsent(V value) {
        if (root.value == null) {
            root.value = value;
        }
    }

    /**
     * The value of the longest network containing the address of {@code bits} bits at
     * {@code address[offset]}, or null.
     */
    V find(byte[] address, int offset, int bits) {
        Node<V> n = root;
        V best = root.value;
        for (int bit = 0; bit < bits; bit++) {
            n = bit(address, offset, bit) ? n.one : n.zero;
            if (n == null) {
                break;
            }
            if (n.value != null) {
                best = n.value;
            }
        }
        return best;
    }

    private static boolean bit(byte[] a, int offset, int bit) {
        return (a[offset + (bit >>> 3)] & (0x80 >>> (bit & 7))) != 0;
    }
}
