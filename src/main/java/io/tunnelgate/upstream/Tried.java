package io.tunnelgate.upstream;

/**
 * The peers of a group one request has tried (nginx's {@code tried} bitmap): a bit per peer, by
 * its position in {@link UpstreamGroup#peers()}. Made by {@link Balancer#newTried()}, one per
 * request, and only read and written by the balancer.
 */
public final class Tried {
    private final long[] bits;

    Tried(int peers) {
        this.bits = new long[Math.max(1, (peers + 63) >>> 6)];
    }

    boolean contains(int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    void add(int i) {
        bits[i >>> 6] |= 1L << i;
    }
}
