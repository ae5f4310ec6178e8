package io.tunnelgate.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config texts for the transport tests: one {@code proxy_connect} server on {@code 127.0.0.1:${PORT}} on a
 * chosen transport ({@code use io_uring} unless told otherwise), an info-level {@code error.log} and an
 * {@code access.log} of {@code key:value} words that {@link Fields} splits.
 */
final class UringConfig {
    /** The module's default established response, byte for byte. */
    static final String ESTABLISHED = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n";

    private static final String FORMAT = "status:$status addr:$connect_addr client:$remote_addr"
            + " server:$server_addr sent:$bytes_sent request:$request";

    private final String transport;
    private final String server;

    private UringConfig(String transport, String server) {
        this.transport = transport;
        this.server = server;
    }

    /**
     * Skips the calling test class where io_uring cannot run, naming Netty's reason; nowhere else: on a machine
     * with io_uring every test runs.
     */
    static void assumeIoUring() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
    }

    /** The CONNECT server on io_uring with {@code directives} added to its server block. */
    static UringConfig connect(String directives) {
        return new UringConfig("io_uring", directives);
    }

    /** The same server on another transport. */
    UringConfig on(String otherTransport) {
        return new UringConfig(otherTransport, server);
    }

    String text() {
        return "error_log ${DIR}/error.log info;\n"
                + "events {\n    use " + transport + ";\n}\n"
                + "http {\n"
                + "    log_format fields '" + FORMAT + "';\n"
                + "    access_log ${DIR}/access.log fields;\n"
                + "    server {\n"
                + "        listen 127.0.0.1:${PORT};\n"
                + "        proxy_connect;\n"
                + "        proxy_connect_allow all;\n"
                + "        " + server + "\n"
                + "    }\n"
                + "}\n";
    }

    TestProxy start(Path dir) {
        return TestProxy.start(dir, text());
    }

    /** One access-log line split into its {@code key:value} words ({@code request} takes the rest). */
    record Fields(String line, Map<String, String> fields) {
        static Fields of(String line) {
            if (line == null) {
                throw new AssertionError("no access-log line");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            int request = line.indexOf(" request:");
            fields.put("request", line.substring(request + " request:".length()));
            for (String word : line.substring(0, request).split(" ")) {
                int colon = word.indexOf(':');
                fields.put(word.substring(0, colon), word.substring(colon + 1));
            }
            return new Fields(line, fields);
        }

        String get(String key) {
            String value = fields.get(key);
            if (value == null) {
                throw new AssertionError("no " + key + ": in access-log line: " + line);
            }
            return value;
        }

        long number(String key) {
            return Long.parseLong(get(key));
        }
    }
}
