package io.tunnelgate.testsupport;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.server.ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real Tunnelgate running in the test JVM on loopback, started from a config text.
 *
 * <p>In the text, {@code ${PORT}} is replaced by a free loopback port (the proxy's) and
 * {@code ${DIR}} by the test's directory, which is also the prefix: {@code access_log access.log}
 * writes to {@code ${DIR}/access.log}. Log lines are in their files before the proxy closes the
 * client connection they belong to, so tests can read them right after the client sees EOF.
 */
public final class TestProxy implements AutoCloseable {
    private final Path dir;
    private final LogWriter writer;
    private final ProxyServer server;
    private final int port;

    private TestProxy(Path dir, LogWriter writer, ProxyServer server, int port) {
        this.dir = dir;
        this.writer = writer;
        this.server = server;
        this.port = port;
    }

    /** Starts a proxy; retries with another port if the chosen one was taken meanwhile. */
    public static TestProxy start(Path dir, String configTemplate) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = Loopback.closedPort();
            String text = configTemplate.replace("${PORT}", Integer.toString(port))
                    .replace("${DIR}", dir.toString());
            LogWriter writer = new LogWriter();
            writer.start();
            try {
                Path file = TestFiles.config(dir, text);
                ProxyConfig config = Configs.load(ConfigReader.read(file), file, dir, writer, new LogClock());
                ProxyServer server = ProxyServer.start(config, new LogClock());
                return new TestProxy(dir, writer, server, port);
            } catch (ConfigException e) {
                writer.close();
                throw new IllegalArgumentException(e.getMessage(), e);
            } catch (IOException e) {
                writer.close();
                last = e;
            }
        }
        throw new UncheckedIOException(last);
    }

    /** The port {@code ${PORT}} stood for. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port()}. */
    public InetSocketAddress address() {
        return Loopback.address(port);
    }

    public ProxyServer server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Waits until every log line already due is in {@code file}: first a no-op on each event loop
     * (a request's line is queued in the same event-loop task that writes its response), then a
     * barrier through the log writer, which writes lines in the order they were queued.
     */
    public void settleLogs(String file) {
        server.eventLoops().forEach(loop -> loop.submit(() -> { }).syncUninterruptibly());
        CountDownLatch written = new CountDownLatch(1);
        try {
            writer.open(file, dir).append(new byte[0], Runnable::run, written::countDown);
            if (!written.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("log writer did not reach the barrier in 5 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of a log file under the test directory ({@code access.log}, {@code error.log} ...). */
    public List<String> lines(String file) {
        Path p = dir.resolve(file);
        try {
            return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last line of a log file, or null when it is empty. */
    public String lastLine(String file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    /** Stops the proxy (closing every connection, writing their log lines) and the log writer. */
    @Override
    public void close() {
        server.stop();
        writer.close();
    }
}
