package io.tunnelgate.tunnel;

import io.tunnelgate.http.Request;

/** Puts a CONNECT request into the state its tunnel leaves it in, for the log and variable benchmarks. */
public final class BenchTunnels {
    private BenchTunnels() {
    }

    /**
     * Fills the module's context of {@code req} (made in post-read) as a tunnel to {@code addr}
     * that resolved in 2 ms, connected in 3 ms and got its first byte 40 ms later leaves it.
     */
    public static void established(Request req, String addr) {
        ConnectContext c = req.get(ConnectContext.KEY);
        if (c == null) {
            throw new IllegalStateException("not a CONNECT that passed post-read");
        }
        long t0 = req.startNanos();
        c.upstreamStarted = true;
        c.handlerStartNanos = t0;
        c.resolveDoneNanos = t0 + 2_000_000;
        c.connectStartNanos = t0 + 2_000_000;
        c.connectedNanos = t0 + 5_000_000;
        c.firstByteNanos = t0 + 45_000_000;
        c.connectAddr = addr;
    }
}
