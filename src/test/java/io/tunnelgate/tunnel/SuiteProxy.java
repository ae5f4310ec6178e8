package io.tunnelgate.tunnel;

import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy started from a config of the module's test suite, and that suite's three client helpers
 * ({@code http_connect_request}, {@code http_connect_request_raw}, {@code http_get}) written anew for
 * Java. The module's tests use fixed ports (8080 for the proxy, 8081... for backends in the same
 * nginx); here {@code ${PORT}} is the proxy's port and each {@code ${PORT_8081}}-style placeholder a
 * free loopback port chosen at start, readable with {@link #port(int)}.
 *
 * <p>The clients send LF-only heads, as the Perl heredocs do.
 */
final class SuiteProxy implements AutoCloseable {
    /** What the module's client takes as an established tunnel. */
    static final Pattern ESTABLISHED = Pattern.compile("HTTP/1\\.[01] 200 Connection Established\r\nProxy-agent: .+\r\n\r\n");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{PORT_(\\d+)}");
    /** The module's client gives up after 2 s; allow more on a loaded machine. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final TestProxy proxy;
    private final Map<Integer, Integer> ports;

    private SuiteProxy(TestProxy proxy, Map<Integer, Integer> ports) {
        this.proxy = proxy;
        this.ports = ports;
    }

    /** Starts a proxy from {@code template}; retries with other ports if one was taken meanwhile. */
    static SuiteProxy start(Path dir, String template) {
        UncheckedIOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder text = new StringBuilder();
            while (m.find()) {
                int port = ports.computeIfAbsent(Integer.parseInt(m.group(1)), k -> Loopback.closedPort());
                m.appendReplacement(text, Integer.toString(port));
            }
            m.appendTail(text);
            try {
                return new SuiteProxy(TestProxy.start(dir, text.toString()), Map.copyOf(ports));
            } catch (UncheckedIOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The port that stands for the module test's port {@code modulePort} (e.g. 8081). */
    int port(int modulePort) {
        Integer p = ports.get(modulePort);
        if (p == null) {
            throw new IllegalArgumentException("no ${PORT_" + modulePort + "} in the config");
        }
        return p;
    }

    TestProxy proxy() {
        return proxy;
    }

    /** Lines of a log file under the test directory. */
    List<String> lines(String file) {
        return proxy.lines(file);
    }

    /**
     * {@code http_connect_request}: {@code CONNECT host:port HTTP/1.1} with {@code Host: host}; if the
     * reply is an established tunnel, sends {@code GET url HTTP/1.0} through it and returns what comes
     * back until EOF; otherwise returns the reply (head and body). Null when the proxy closed without
     * a byte.
     */
    String connect(String host, Object port, String url) throws IOException {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.timeout(CLIENT_TIMEOUT);
            c.send("CONNECT " + host + ":" + port + " HTTP/1.1\nHost: " + host + "\n\n");
            String head;
            try {
                head = c.readHead();
            } catch (EOFException e) {
                return null;
            }
            if (!ESTABLISHED.matcher(head).find()) {
                return head + body(c, head);
            }
            c.send("GET " + url + " HTTP/1.0\nHost: " + host + "\nConnection: close\n\n");
            return new String(c.readToEof(), StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code http_connect_request_raw}: {@code CONNECT host:port HTTP/1.0}; returns the first reply only. */
    String connectRaw(String host, Object port) throws IOException {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.timeout(CLIENT_TIMEOUT);
            c.send("CONNECT " + host + ":" + port + " HTTP/1.0\nHost: " + host + "\n\n");
            String head = c.readHead();
            return head + body(c, head);
        }
    }

    /** {@code http_get}: {@code GET url HTTP/1.0} with {@code Host: localhost}, read until EOF. */
    String get(String url) throws IOException {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.timeout(CLIENT_TIMEOUT);
            c.send("GET " + url + " HTTP/1.0\nHost: localhost\n\n");
            return new String(c.readToEof(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String body(RawClient c, String head) throws IOException {
        Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
        if (!m.find()) {
            return "";
        }
        return new String(c.readExactly(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        proxy.close();
    }
}
