package io.tunnelgate.tunnel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The kernel's send and receive queues of established TCP sockets on {@code 127.0.0.1}, read from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Java and Netty sockets are often IPv6 sockets carrying
 * IPv4-mapped addresses). With them a test can tell how many bytes of a stalled stream sit in kernel buffers,
 * and so how many the proxy holds in user space, and whether a connect is still pending, without looking
 * inside the proxy.
 */
final class TcpQueues {
    private static final String ESTABLISHED = "01";
    private static final String SYN_SENT = "02";
    private static final String CLOSE_WAIT = "08";
    /** 127.0.0.1 as the kernel prints it: little-endian hex, plain or as the tail of an IPv4-mapped address. */
    private static final String LOOPBACK_HEX = "0100007F";

    /**
     * One socket.
     *
     * @param localPort    its local port
     * @param remotePort   its peer's port
     * @param sendQueue    bytes written but not yet acknowledged by the peer
     * @param receiveQueue bytes received but not yet read by the application
     */
    record Socket(int localPort, int remotePort, long sendQueue, long receiveQueue) {
    }

    private final List<Socket> sockets;

    private TcpQueues(List<Socket> sockets) {
        this.sockets = sockets;
    }

    /** A snapshot of every established loopback socket. */
    static TcpQueues read() {
        return new TcpQueues(sockets(ESTABLISHED));
    }

    /** A snapshot of every loopback socket whose peer has sent its FIN (CLOSE_WAIT), which may still send. */
    static TcpQueues readPeerFinished() {
        return new TcpQueues(sockets(CLOSE_WAIT));
    }

    /** How many loopback sockets are connecting (SYN sent, no answer yet) to {@code remotePort}. */
    static long connectsPendingTo(int remotePort) {
        return sockets(SYN_SENT).stream().filter(s -> s.remotePort() == remotePort).count();
    }

    private static List<Socket> sockets(String state) {
        List<Socket> all = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(path)) {
                lines.skip(1).map(line -> parse(line, state)).filter(s -> s != null).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** The socket {@code localPort -> remotePort}. */
    Socket between(int localPort, int remotePort) {
        return only(s -> s.localPort() == localPort && s.remotePort() == remotePort,
                localPort + " -> " + remotePort);
    }

    /** The one socket whose peer is {@code remotePort} (a client of the server on that port). */
    Socket clientOf(int remotePort) {
        return only(s -> s.remotePort() == remotePort, "? -> " + remotePort);
    }

    /** The one accepted socket of the server on {@code localPort}. */
    Socket acceptedOn(int localPort) {
        return only(s -> s.localPort() == localPort, localPort + " -> ?");
    }

    private Socket only(Predicate<Socket> match, String what) {
        List<Socket> found = sockets.stream().filter(match).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one socket " + what + ", found " + found);
        }
        return found.get(0);
    }

    /** One line: {@code sl local rem st tx_queue:rx_queue ...}; null unless in {@code state} on 127.0.0.1. */
    private static Socket parse(String line, String state) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[3].equals(state)) {
            return null;
        }
        int localColon = f[1].indexOf(':');
        int remoteColon = f[2].indexOf(':');
        if (!f[1].substring(0, localColon).endsWith(LOOPBACK_HEX)
                || !f[2].substring(0, remoteColon).endsWith(LOOPBACK_HEX)) {
            return null;
        }
        String[] queues = f[4].split(":");
        return new Socket(Integer.parseInt(f[1].substring(localColon + 1), 16),
                Integer.parseInt(f[2].substring(remoteColon + 1), 16),
                Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16));
    }
}
