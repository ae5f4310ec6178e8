package io.tunnelgate.server;

import static io.tunnelgate.server.Ask.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.http.ListenGroup;
import io.tunnelgate.http.ListenSpec;
import io.tunnelgate.http.VirtualHosts;
import io.tunnelgate.testsupport.ConfigLoads;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code listen} directive as loaded (address forms and parameters, with nginx's messages) and
 * {@link ListenPlan}'s decisions on which sockets to bind and where each local address dispatches,
 * for both transports. Nothing is bound here.
 */
class ListenPlanTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();

    private ProxyConfig load(String http) throws ConfigException {
        String text = "http {\n    access_log off;\n" + http + "}\n";
        return configs.load(text, dir);
    }

    /** The listen specs of a single server with the given listen lines. */
    private List<ListenSpec> listens(String... listen) throws ConfigException {
        StringBuilder server = new StringBuilder("    server {\n");
        for (String l : listen) {
            server.append("        listen ").append(l).append(";\n");
        }
        return load(server.append("    }\n").toString()).http().servers().get(0).listens();
    }

    /** Servers each with one listen line, grouped by address as the model does. */
    private List<ListenGroup> groups(String... listens) throws ConfigException {
        StringBuilder http = new StringBuilder();
        for (String l : listens) {
            http.append("    server {\n        listen ").append(l).append(";\n    }\n");
        }
        return load(http.toString()).http().listens();
    }

    private static ListenGroup group(List<ListenGroup> groups, InetSocketAddress address) {
        return groups.stream().filter(g -> g.address().equals(address)).findFirst().orElseThrow();
    }

    private static VirtualHosts hosts(List<ListenGroup> groups, InetSocketAddress address) {
        return group(groups, address).hosts();
    }

    @ParameterizedTest(name = "listen {0} -> {1}:{2}")
    @CsvSource({
        "8080, 0.0.0.0, 8080",
        "*:8080, 0.0.0.0, 8080",
        "127.0.0.1, 127.0.0.1, 80",
        "127.0.0.1:8080, 127.0.0.1, 8080",
        "[::1]:8080, ::1, 8080",
        "[::]:8080, ::, 8080",
        "[::], ::, 80",
        "[0:0:0:0:0:0:0:1]:65535, ::1, 65535"})
    void addressForms(String listen, String address, int port) throws Exception {
        assertThat(listens(listen)).singleElement()
                .satisfies(l -> assertThat(l.address()).isEqualTo(at(address, port)));
    }

    @Test
    void aHostNameListensOnEveryAddressItHas() throws Exception {
        InetAddress[] local = InetAddress.getAllByName("localhost");
        assertThat(local).allMatch(InetAddress::isLoopbackAddress);
        List<InetSocketAddress> expected = Arrays.stream(local).map(a -> new InetSocketAddress(a, 8080)).distinct()
                .toList();
        assertThat(listens("localhost:8080")).extracting(ListenSpec::address).containsExactlyElementsOf(expected);
    }

    @Test
    void parameters() throws Exception {
        ListenSpec l = listens("127.0.0.1:8080 default_server backlog=10 rcvbuf=8k sndbuf=1m reuseport"
                + " so_keepalive=1m::3").get(0);
        assertThat(l.defaultServer()).isTrue();
        assertThat(l.backlog()).isEqualTo(10);
        assertThat(l.rcvbuf()).isEqualTo(8192);
        assertThat(l.sndbuf()).isEqualTo(1 << 20);
        assertThat(l.reuseport()).isTrue();
        assertThat(l.bind()).as("reuseport implies bind").isTrue();
        assertThat(l.keepalive()).isEqualTo(new ListenSpec.KeepaliveSpec(true, 60, -1, 3));
        assertThat(l.hasOptions()).isTrue();

        ListenSpec plain = listens("127.0.0.1:8080 default").get(0);
        assertThat(plain.defaultServer()).isTrue();
        assertThat(plain.hasOptions()).as("default_server is not a socket option").isFalse();
        assertThat(plain.backlog()).isEqualTo(-1);
        assertThat(plain.keepalive()).isNull();
        assertThat(plain.ipv6only()).as("nginx's default").isTrue();

        assertThat(listens("[::]:8080 ipv6only=off").get(0).ipv6only()).isFalse();
        assertThat(listens("8080 so_keepalive=off").get(0).keepalive())
                .isEqualTo(new ListenSpec.KeepaliveSpec(false, -1, -1, -1));
    }

    @ParameterizedTest(name = "listen {0}")
    @CsvSource(delimiter = '|', value = {
        "8080 backlog=0 | invalid backlog \"0\"",
        "8080 rcvbuf=x | invalid rcvbuf \"x\"",
        "8080 sndbuf=0 | invalid sndbuf \"0\"",
        "8080 so_keepalive=1:2 | invalid so_keepalive value: \"1:2\"",
        "8080 so_keepalive=:: | invalid so_keepalive value: \"::\"",
        "8080 so_keepalive=0:1:1 | invalid so_keepalive value: \"0:1:1\"",
        "[::]:8080 ipv6only=maybe | invalid ipv6only flags \"maybe\"",
        "8080 http2 | the \"http2\" parameter of the \"listen\" directive is not supported yet",
        "8080 proxy_protocol | the \"proxy_protocol\" parameter of the \"listen\" directive is not supported yet",
        "[::1 | invalid host in \"[::1\" of the \"listen\" directive",
        "[::1]x | invalid host in \"[::1]x\" of the \"listen\" directive",
        "[zz]:80 | invalid host in \"[zz]:80\" of the \"listen\" directive",
        "127.0.0.1:-1 | invalid port in \"127.0.0.1:-1\" of the \"listen\" directive",
        "65536 | invalid port in \"65536\" of the \"listen\" directive",
        "unix: | no path in the unix domain socket \"unix:\" of the \"listen\" directive"})
    void badListens(String listen, String message) {
        assertThatThrownBy(() -> listens(listen)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.reason()).isEqualTo(message));
    }

    @Test
    void theSameAddressTwiceInOneServerIsADuplicateListen() {
        assertThatThrownBy(() -> listens("127.0.0.1:8080", "127.0.0.1:8080 backlog=5"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.reason()).isEqualTo("a duplicate listen 127.0.0.1:8080"));
    }

    @Test
    void optionsGivenOnceForAnAddressApplyToItsGroup() throws Exception {
        List<ListenGroup> groups = groups("127.0.0.1:8080", "127.0.0.1:8080 backlog=7", "127.0.0.1:8080");
        assertThat(groups).singleElement().satisfies(g -> assertThat(g.options().backlog()).isEqualTo(7));
    }

    @Test
    void aSpecificAddressGetsItsOwnSocket() throws Exception {
        List<ListenGroup> groups = groups("127.0.0.1:8080", "127.0.0.2:8080");
        for (Transport t : Transport.values()) {
            List<ListenPlan.Socket> plan = ListenPlan.plan(groups, t);
            assertThat(plan).extracting(ListenPlan.Socket::address)
                    .containsExactly(at("127.0.0.1", 8080), at("127.0.0.2", 8080));
            assertThat(plan.get(0).dispatch().select(at("127.0.0.1", 8080)))
                    .isSameAs(hosts(groups, at("127.0.0.1", 8080)));
        }
    }

    @Test
    void aWildcardTakesTheSpecificAddressesOfItsPort() throws Exception {
        List<ListenGroup> groups = groups("127.0.0.2:8080", "8080", "127.0.0.3:8080", "127.0.0.1:9090");
        for (Transport t : Transport.values()) {
            List<ListenPlan.Socket> plan = ListenPlan.plan(groups, t);
            assertThat(plan).extracting(ListenPlan.Socket::address)
                    .containsExactly(at("0.0.0.0", 8080), at("127.0.0.1", 9090));
            Dispatch d = plan.get(0).dispatch();
            assertThat(d.select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
            assertThat(d.select(at("127.0.0.3", 8080))).isSameAs(hosts(groups, at("127.0.0.3", 8080)));
            assertThat(d.select(at("127.0.0.9", 8080))).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
            assertThat(d.select(null)).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
        }
    }

    @Test
    void bindAndReuseportKeepASpecificAddressOnItsOwnSocket() throws Exception {
        List<ListenGroup> groups = groups("8080", "127.0.0.2:8080 bind", "127.0.0.3:8080 reuseport");
        List<ListenPlan.Socket> plan = ListenPlan.plan(groups, Transport.EPOLL);
        assertThat(plan).extracting(ListenPlan.Socket::address)
                .containsExactly(at("0.0.0.0", 8080), at("127.0.0.2", 8080), at("127.0.0.3", 8080));
        assertThat(plan.get(1).dispatch().select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
    }

    @Test
    void onEpollTheIpv6WildcardIsIpv6OnlyAndTheIpv4WildcardBindsBeside() throws Exception {
        List<ListenGroup> groups = groups("[::]:8080", "8080", "[::1]:8080", "127.0.0.2:8080");
        List<ListenPlan.Socket> plan = ListenPlan.plan(groups, Transport.EPOLL);
        assertThat(plan).extracting(ListenPlan.Socket::address).containsExactly(at("::", 8080), at("0.0.0.0", 8080));
        ListenPlan.Socket v6 = plan.get(0);
        ListenPlan.Socket v4 = plan.get(1);
        assertThat(v6.ipv6Only()).isTrue();
        assertThat(v6.dispatch().select(at("::1", 8080))).isSameAs(hosts(groups, at("::1", 8080)));
        assertThat(v6.dispatch().select(at("::2", 8080))).isSameAs(hosts(groups, at("::", 8080)));
        assertThat(v4.dispatch().select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
        assertThat(v4.dispatch().select(at("127.0.0.1", 8080))).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
    }

    @Test
    void onNioTheIpv6WildcardIsDualStackAndServesTheIpv4WildcardsServers() throws Exception {
        List<ListenGroup> groups = groups("[::]:8080", "8080", "127.0.0.2:8080");
        List<ListenPlan.Socket> plan = ListenPlan.plan(groups, Transport.NIO);
        assertThat(plan).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(at("::", 8080));
            assertThat(s.ipv6Only()).isFalse();
            assertThat(s.dispatch().select(at("::1", 8080))).isSameAs(hosts(groups, at("::", 8080)));
            assertThat(s.dispatch().select(at("127.0.0.1", 8080))).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
            assertThat(s.dispatch().select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
        });
    }

    @Test
    void anIpv6OnlyWildcardAloneTurnsIpv4AwayWhereItCannotBeIpv6Only() throws Exception {
        List<ListenGroup> groups = groups("[::]:8080");
        ListenPlan.Socket nio = ListenPlan.plan(groups, Transport.NIO).get(0);
        assertThat(nio.ipv6Only()).isFalse();
        assertThat(nio.dispatch().select(at("127.0.0.1", 8080))).as("no listen covers IPv4").isNull();
        assertThat(nio.dispatch().select(at("::1", 8080))).isSameAs(hosts(groups, at("::", 8080)));
        assertThat(ListenPlan.plan(groups, Transport.EPOLL).get(0).ipv6Only()).isTrue();
    }

    @Test
    void ipv6onlyOffMakesTheIpv6WildcardServeIpv4Too() throws Exception {
        List<ListenGroup> groups = groups("[::]:8080 ipv6only=off", "127.0.0.2:8080");
        for (Transport t : Transport.values()) {
            assertThat(ListenPlan.plan(groups, t)).singleElement().satisfies(s -> {
                assertThat(s.ipv6Only()).isFalse();
                assertThat(s.dispatch().select(at("127.0.0.1", 8080))).isSameAs(hosts(groups, at("::", 8080)));
                assertThat(s.dispatch().select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
            });
        }
    }

    @Test
    void onEpollAnIpv4AddressBesideAnIpv6OnlyWildcardHasItsOwnSocket() throws Exception {
        List<ListenGroup> groups = groups("[::]:8080", "127.0.0.1:8080");
        assertThat(ListenPlan.plan(groups, Transport.EPOLL)).extracting(ListenPlan.Socket::address)
                .containsExactly(at("::", 8080), at("127.0.0.1", 8080));
        // NIO's [::] is dual-stack: it takes 127.0.0.1 rather than collide with it
        assertThat(ListenPlan.plan(groups, Transport.NIO)).singleElement()
                .satisfies(s -> assertThat(s.dispatch().select(at("127.0.0.1", 8080)))
                        .isSameAs(hosts(groups, at("127.0.0.1", 8080))));
    }

    @Test
    void onIoUringBothWildcardsShareOneDualStackSocket() throws Exception {
        // io_uring binds 0.0.0.0 as [::] dual-stack: a second socket for [::] would collide with it
        List<ListenGroup> groups = groups("[::]:8080", "8080", "[::1]:8080", "127.0.0.2:8080");
        assertThat(ListenPlan.plan(groups, Transport.IO_URING)).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(at("::", 8080));
            assertThat(s.ipv6Only()).isFalse();
            assertThat(s.dispatch().select(at("::1", 8080))).isSameAs(hosts(groups, at("::1", 8080)));
            assertThat(s.dispatch().select(at("::2", 8080))).isSameAs(hosts(groups, at("::", 8080)));
            assertThat(s.dispatch().select(at("127.0.0.1", 8080))).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
            assertThat(s.dispatch().select(at("127.0.0.2", 8080))).isSameAs(hosts(groups, at("127.0.0.2", 8080)));
        });
    }

    @Test
    void onIoUringTheIpv4WildcardTakesTheSpecificIpv6AddressesAndNoOtherIpv6Clients() throws Exception {
        List<ListenGroup> groups = groups("8080", "[::1]:8080");
        assertThat(ListenPlan.plan(groups, Transport.IO_URING)).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo(at("0.0.0.0", 8080));
            assertThat(s.dispatch().select(at("::1", 8080))).isSameAs(hosts(groups, at("::1", 8080)));
            assertThat(s.dispatch().select(at("::2", 8080))).as("no listen covers it").isNull();
            assertThat(s.dispatch().select(at("127.0.0.1", 8080))).isSameAs(hosts(groups, at("0.0.0.0", 8080)));
        });
        // epoll's 0.0.0.0 socket is IPv4-only: [::1] needs a socket of its own there
        assertThat(ListenPlan.plan(groups, Transport.EPOLL)).hasSize(2);
    }

    @Test
    void onIoUringTheIpv6WildcardAloneIsIpv6Only() throws Exception {
        assertThat(ListenPlan.plan(groups("[::]:8080"), Transport.IO_URING).get(0).ipv6Only()).isTrue();
        assertThat(ListenPlan.plan(groups("[::]:8080", "127.0.0.1:8080"), Transport.IO_URING))
                .extracting(ListenPlan.Socket::address).containsExactly(at("::", 8080), at("127.0.0.1", 8080));
    }
}
