package io.tunnelgate.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Test helper for {@link OriginsTest}: a non-blocking writer that can tell whether its peer reads, and hashes
 * everything it writes.
 */
final class StallingWriter implements AutoCloseable {

    private final SocketChannel channel;
    private final ByteBuffer chunk = ByteBuffer.wrap(Payload.bytes(64 * 1024, 3));
    private final MessageDigest digest = Payload.newSha256();
    private long sent;

    StallingWriter(InetSocketAddress address) throws IOException {
        this.channel = SocketChannel.open(address);
        channel.configureBlocking(false);
    }

    /** Writes until the kernel refuses more, returning how many bytes it took. */
    long fillUntilStalled() throws IOException {
        while (writeSome() > 0) {
            // keep filling
        }
        return sent;
    }

    /** Whether the channel stays unwritable for the given time (a reading peer would free space). */
    boolean staysStalledFor(long time, TimeUnit unit) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            return selector.select(unit.toMillis(time)) == 0;
        }
    }

    /** Writes the rest of the current chunk, blocking, then half-closes. */
    void finish() throws IOException {
        channel.configureBlocking(true);
        while (chunk.hasRemaining()) {
            writeSome();
        }
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Count and SHA-256 of everything written. */
    Received sent() {
        return new Received(sent, HexFormat.of().formatHex(digest.digest()));
    }

    private int writeSome() throws IOException {
        if (!chunk.hasRemaining()) {
            chunk.rewind();
        }
        int start = chunk.position();
        int n = channel.write(chunk);
        digest.update(chunk.array(), start, n);
        sent += n;
        return n;
    }
}
