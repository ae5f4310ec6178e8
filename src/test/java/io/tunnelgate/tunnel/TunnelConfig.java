package io.tunnelgate.tunnel;

import io.tunnelgate.testsupport.RelayPaths;
import io.tunnelgate.testsupport.StubDnsServer;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;

/**
 * Config texts for the tunnel integration tests: one {@code proxy_connect} server on {@code ${PORT}} that allows
 * every port (the origins listen on ephemeral ones), an info-level {@code error.log} and an {@code access.log}
 * in {@link #FORMAT} (or another format) under {@code ${DIR}}. Extra directives go into the server block.
 */
final class TunnelConfig {
    /** The module's default established response (spec §3.7), byte for byte. */
    static final String ESTABLISHED = "HTTP/1.1 200 Connection Established\r\nProxy-agent: nginx\r\n\r\n";

    /**
     * Every field a tunnel test reads, as {@code key:value} words that {@link LogFields} splits; {@code $request}
     * (which has spaces) comes last.
     */
    static final String FORMAT = "status:$status addr:$connect_addr host:$connect_host port:$connect_port"
            + " rt:$proxy_connect_resolve_time ct:$proxy_connect_connect_time fbt:$proxy_connect_first_byte_time"
            + " sent:$bytes_sent body:$body_bytes_sent len:$request_length request:$request";

    /** A CONNECT request head for {@code authority}, with a matching Host. */
    static String connectHead(String authority) {
        return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
    }

    private String events = "";
    private String format = FORMAT;
    private final StringBuilder server = new StringBuilder();

    private TunnelConfig() {
    }

    /** The plain CONNECT server. */
    static TunnelConfig connectServer() {
        return new TunnelConfig();
    }

    /** Directives for the {@code events} block, e.g. {@code "use nio;"}. */
    TunnelConfig events(String directives) {
        this.events = directives;
        return this;
    }

    /** Another access-log format. */
    TunnelConfig format(String logFormat) {
        this.format = logFormat;
        return this;
    }

    /** Adds directives to the server block. */
    TunnelConfig with(String directives) {
        server.append("        ").append(directives).append('\n');
        return this;
    }

    /** Adds {@code relay_splice on|off} to the server block. */
    TunnelConfig relaySplice(String onOff) {
        return with(RelayPaths.directive(onOff));
    }

    /** Adds {@code resolver} pointing at {@code dns}. */
    TunnelConfig resolver(StubDnsServer dns) {
        return with("resolver 127.0.0.1:" + dns.address().getPort() + ";");
    }

    String text() {
        return "error_log ${DIR}/error.log info;\n"
                + "events {\n    " + events + "\n}\n"
                + "http {\n"
                + "    log_format tunnel '" + format + "';\n"
                + "    access_log ${DIR}/access.log tunnel;\n"
                + "    server {\n"
                + "        listen 127.0.0.1:${PORT};\n"
                + "        proxy_connect;\n"
                + "        proxy_connect_allow all;\n"
                + server
                + "    }\n"
                + "}\n";
    }

    /** Starts a proxy with this config in {@code dir}. */
    TestProxy start(Path dir) {
        return TestProxy.start(dir, text());
    }
}
