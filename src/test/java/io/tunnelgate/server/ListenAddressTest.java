package io.tunnelgate.server;

import static io.tunnelgate.server.Ask.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which sockets {@code listen} binds and which server a connection reaches by the local address
 * it arrived on, as nginx does: a bare port is {@code 0.0.0.0} only; a wildcard takes the specific
 * addresses of its port on one socket and dispatches by local address; {@code [::]} is IPv6-only
 * beside {@code 0.0.0.0} on epoll, and dual-stack on NIO (which cannot make it IPv6-only), where
 * IPv4 clients still reach the {@code 0.0.0.0} servers. Only loopback addresses are dialled
 * (127.0.0.2 is loopback on Linux).
 */
class ListenAddressTest {
    @TempDir
    Path dir;

    private static String server(String listen, String name) {
        return "    server {\n        listen " + listen + ";\n        return 200 \"" + name + "\";\n    }\n";
    }

    private static String http(String... servers) {
        return "http {\n    access_log off;\n" + String.join("", servers) + "}\n";
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assumeEpoll() {
        assumeTrue(Transport.EPOLL.isAvailable(), "native epoll is not available here");
    }

    @Test
    void aSpecificAddressListensOnThatAddressOnly() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("127.0.0.1:${PORT}", "one")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("127.0.0.1", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("one");
            assertThatThrownBy(() -> RawClient.connect(at("127.0.0.2", proxy.port())))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aBarePortIsTheIpv4Wildcard() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("${PORT}", "any")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("any");
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("any");
        }
    }

    @Test
    void theIpv4WildcardTakesNoIpv6Clients() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        try (TestProxy proxy = TestProxy.start(dir, http(server("${PORT}", "any")))) {
            assertThatThrownBy(() -> RawClient.connect(at("::1", proxy.port()))).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theIpv4WildcardTakesNoIpv6ClientsOnNioEither() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        try (TestProxy proxy = TestProxy.start(dir, "events {\n    use nio;\n}\n" + http(server("${PORT}", "any")))) {
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("any");
            assertThatThrownBy(() -> RawClient.connect(at("::1", proxy.port()))).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void starPortIsTheIpv4WildcardToo() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, http(server("*:${PORT}", "any")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("any");
        }
    }

    @Test
    void aWildcardAndASpecificAddressShareOneSocketAndDispatchByLocalAddress() throws Exception {
        String config = http(server("${PORT}", "wildcard"), server("127.0.0.2:${PORT}", "two"))
                .replace("listen ${PORT};", "listen ${PORT};\n        server_name wildcard.test;");
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("wildcard");
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("two");
            // the server is chosen among those listening on the address the connection came to
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "wildcard.test")).isEqualTo("two");
        }
    }

    @Test
    void theIpv6Loopback() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::1]:${PORT}", "v6")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("::1", proxy.port()));
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
            assertThatThrownBy(() -> RawClient.connect(at("127.0.0.1", proxy.port())))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void onEpollTheIpv6WildcardIsIpv6OnlyBesideTheIpv4Wildcard() throws Exception {
        assumeEpoll();
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::]:${PORT}", "v6"), server("${PORT}", "v4")))) {
            assertThat(proxy.server().boundAddresses())
                    .containsExactlyInAnyOrder(at("::", proxy.port()), at("0.0.0.0", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("v4");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
        }
    }

    @Test
    void onEpollIpv6onlyOffMakesTheIpv6WildcardDualStack() throws Exception {
        assumeEpoll();
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        try (TestProxy proxy = TestProxy.start(dir, http(server("[::]:${PORT} ipv6only=off", "dual")))) {
            assertThat(proxy.server().boundAddresses()).containsExactly(at("::", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("dual");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("dual");
        }
    }

    @Test
    void onNioTheIpv6WildcardIsDualStackAndIpv4ClientsReachTheIpv4Servers() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        String config = "events {\n    use nio;\n}\n" + http(server("[::]:${PORT}", "v6"), server("${PORT}", "v4"));
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(proxy.server().config().process().transport()).isEqualTo(Transport.NIO);
            assertThat(proxy.server().boundAddresses()).containsExactly(at("::", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("v4");
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
        }
    }

    @Test
    void onNioAnIpv6OnlyWildcardAloneTurnsIpv4ClientsAway() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback on this machine");
        String config = "events {\n    use nio;\n}\n" + http(server("[::]:${PORT}", "v6"));
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(Ask.server(at("::1", proxy.port()), "x")).isEqualTo("v6");
            // no listen covers IPv4 here: the dual-stack socket closes such connections unanswered
            try (RawClient v4 = RawClient.connect(at("127.0.0.1", proxy.port()))) {
                assertThat(v4.awaitClosed()).isTrue();
            }
        }
    }

    @Test
    void defaultServerIsTheMarkedOneElseTheFirst() throws Exception {
        String marked = http(server("127.0.0.1:${PORT}", "first"), server("127.0.0.1:${PORT} default_server", "marked"));
        try (TestProxy proxy = TestProxy.start(dir, marked)) {
            assertThat(Ask.server(proxy.address(), "unknown.test")).isEqualTo("marked");
            // as in nginx, no Host looks up the name "", which every server without server_name has:
            // the first of them gets it, before the default server
            assertThat(Ask.server(proxy.address(), null)).isEqualTo("first");
        }
        String unmarked = http(server("127.0.0.1:${PORT}", "first"), server("127.0.0.1:${PORT}", "second"));
        try (TestProxy proxy = TestProxy.start(dir, unmarked)) {
            assertThat(Ask.server(proxy.address(), "unknown.test")).isEqualTo("first");
        }
    }

    @Test
    void defaultServerIsPerAddress() throws Exception {
        String config = http(server("127.0.0.1:${PORT}", "a"),
                server("127.0.0.2:${PORT}", "b"),
                server("127.0.0.1:${PORT} default_server", "c"));
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("c");
            assertThat(Ask.server(at("127.0.0.2", proxy.port()), "x")).isEqualTo("b");
        }
    }

    @Test
    void aServerMayListenOnSeveralAddresses() throws Exception {
        String config = "http {\n    access_log off;\n    server {\n        listen 127.0.0.1:${PORT};\n"
                + "        listen 127.0.0.3:${PORT};\n        return 200 \"both\";\n    }\n}\n";
        try (TestProxy proxy = TestProxy.start(dir, config)) {
            assertThat(proxy.server().boundAddresses())
                    .containsExactlyInAnyOrder(at("127.0.0.1", proxy.port()), at("127.0.0.3", proxy.port()));
            assertThat(Ask.server(at("127.0.0.1", proxy.port()), "x")).isEqualTo("both");
            assertThat(Ask.server(at("127.0.0.3", proxy.port()), "x")).isEqualTo("both");
        }
    }
}
