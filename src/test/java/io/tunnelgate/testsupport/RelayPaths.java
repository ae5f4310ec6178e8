package io.tunnelgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tunnelgate.metrics.RelayStats;

/**
 * The relay tests run once with {@code relay_splice on} and once with {@code off} (JUnit's
 * {@code @ParameterizedClass}); this checks, from the proxy's counters, that the path
 * the parameter asks for is the one the relays really took, so a splice that silently fell back to buffers
 * (or a buffered run that spliced) fails the test.
 */
public final class RelayPaths {
    private RelayPaths() {
    }

    /**
     * Skips the expensive tests' {@code nio} run with {@code relay_splice off}: NIO never splices, so the
     * {@code on} run already covers that path (and proves the fallback).
     */
    public static void skipNioTwice(String transport, String relaySplice) {
        assumeFalse(transport.equals("nio") && relaySplice.equals("off"), "nio copies either way: the on run covers it");
    }

    /**
     * The directive for a server or http block. The {@code on} run splices from the first byte
     * ({@code relay_splice 0}): the default {@code on} waits for 64 KiB of bulk reads per direction, which most
     * of these tests never move (RelaySpliceConfigTest covers the default).
     */
    public static String directive(String relaySplice) {
        return "relay_splice " + (relaySplice.equals("on") ? "0" : relaySplice) + ";";
    }

    /** Whether a proxy with this {@code relay_splice} value splices: only with epoll, the default transport here. */
    public static boolean splices(TestProxy proxy, String relaySplice) {
        return relaySplice.equals("on") && proxy.server().config().process().transport().label().equals("epoll");
    }

    /**
     * Every relay the proxy started so far took the expected path, at least one did, and bytes moved by
     * splice(2) exactly when splicing.
     */
    public static void assertPath(TestProxy proxy, String relaySplice) {
        assertChosen(proxy, relaySplice);
        long spliced = proxy.server().services().relayStats().splicedBytes();
        if (splices(proxy, relaySplice)) {
            assertThat(spliced).as("bytes moved by splice(2)").isPositive();
        } else {
            assertThat(spliced).as("bytes moved by splice(2)").isZero();
        }
    }

    /** Every relay the proxy started so far chose the expected path, and at least one started (bytes or not). */
    public static void assertChosen(TestProxy proxy, String relaySplice) {
        RelayStats stats = proxy.server().services().relayStats();
        if (splices(proxy, relaySplice)) {
            assertThat(stats.splicedRelays()).as("relays that spliced").isPositive();
            assertThat(stats.bufferedRelays()).as("relays that copied through buffers").isZero();
        } else {
            assertThat(stats.bufferedRelays()).as("relays that copied through buffers").isPositive();
            assertThat(stats.splicedRelays()).as("relays that spliced").isZero();
        }
    }
}
