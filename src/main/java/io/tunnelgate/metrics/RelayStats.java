package io.tunnelgate.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of the relays that tunnels and upgraded connections run: how many may splice
 * and how many copy through user-space buffers, how many bytes splice moved, and how many
 * directions fell back to buffers. They tell an operator (and the tests) which path the relay
 * really took.
 */
public final class RelayStats {
    private final LongAdder spliced = new LongAdder();
    private final LongAdder buffered = new LongAdder();
    private final LongAdder splicedBytes = new LongAdder();
    private final LongAdder spliceFallbacks = new LongAdder();

    /**
     * Relays that may splice (both connections allow it and {@code relay_splice} is on); a
     * direction starts once its bulk reads reach the threshold, which {@link #splicedBytes} shows.
     */
    public long splicedRelays() {
        return spliced.sum();
    }

    /** Relays that copied through user-space buffers (transport, TLS or {@code relay_splice off}). */
    public long bufferedRelays() {
        return buffered.sum();
    }

    /** Bytes moved from a socket into a pipe by splice(2), both directions together. */
    public long splicedBytes() {
        return splicedBytes.sum();
    }

    /** Relay directions whose splice could not start (no pipe: out of descriptors) and that went on through buffers. */
    public long spliceFallbacks() {
        return spliceFallbacks.sum();
    }

    public void relayStarted(boolean splice) {
        (splice ? spliced : buffered).increment();
    }

    public void splicedBytes(long n) {
        splicedBytes.add(n);
    }

    public void spliceFellBack() {
        spliceFallbacks.increment();
    }
}
