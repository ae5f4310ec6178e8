package io.tunnelgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigLoader;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code upstream { }} block through the real directive table: the group it builds, nginx's
 * errors with {@code file:line}, and that {@link Configs#load} runs {@link UpstreamGroups#finish()}.
 */
class UpstreamConfigTest {
    static final Path FILE = Path.of("/etc/tunnelgate/up.conf");

    /**
     * Resolves only {@code localhost}, with the JDK (the hosts file); any other name is not found
     * without asking DNS.
     */
    static final HostLookup LOCALHOST_ONLY = host -> {
        if (host.equalsIgnoreCase("localhost")) {
            return InetAddress.getAllByName("localhost");
        }
        throw new UnknownHostException(host);
    };

    @TempDir
    Path dir;

    /** Runs the directives of {@code text} (nothing is bound yet). */
    static UpstreamGroups load(String text, HostLookup lookup) throws ConfigException {
        LoadContext ctx = new LoadContext(Path.of("/"));
        UpstreamGroups groups = UpstreamGroups.of(ctx, lookup);
        new ConfigLoader(Configs.registry()).load(ConfigReader.read(text, FILE).nodes(), ctx);
        return groups;
    }

    static UpstreamGroups loadAndFinish(String text) throws ConfigException {
        UpstreamGroups groups = load(text, LOCALHOST_ONLY);
        groups.finish();
        return groups;
    }

    static List<InetSocketAddress> localhost(int port) throws UnknownHostException {
        return Arrays.stream(InetAddress.getAllByName("localhost")).map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Test
    void aBlockBecomesAGroupWithEveryParameter() throws Exception {
        UpstreamGroup g = loadAndFinish("""
                http {
                    upstream backend {
                        server 127.0.0.1:8081 weight=5 max_fails=3 fail_timeout=30s;
                        server [::1]:8082 backup;
                        server 127.0.0.02 down max_fails=0;
                        keepalive 16;
                        keepalive_timeout 30s;
                        keepalive_requests 100;
                        keepalive_time 10m;
                        zone backend 64k;
                    }
                }
                """).find("backend");
        assertThat(g.name()).isEqualTo("backend");
        assertThat(g.implicit()).isFalse();
        assertThat(g.pos()).isEqualTo(new SourcePos(FILE, 2));
        assertThat(g.peers()).containsExactly(
                new Peer("127.0.0.1:8081", new InetSocketAddress("127.0.0.1", 8081), 5, 3, 30_000, false, false),
                new Peer("[::1]:8082", new InetSocketAddress("::1", 8082), 1, 1, 10_000, true, false),
                new Peer("127.0.0.2:80", new InetSocketAddress("127.0.0.2", 80), 1, 0, 10_000, false, true));
        assertThat(g.keepalive()).isEqualTo(new KeepaliveConf(16, 30_000, 100, 600_000));
    }

    @Test
    void withoutKeepaliveTheCacheIsOffWithNginxsDefaults() throws Exception {
        UpstreamGroup g = loadAndFinish("http { upstream u { server 127.0.0.1; } }").find("U");
        assertThat(g.keepalive()).isEqualTo(new KeepaliveConf(0, 60_000, 1000, 3_600_000));
    }

    @Test
    void aHostNameBecomesOnePeerPerAddressWithTheLinesParameters() throws Exception {
        UpstreamGroups groups = load("http {\n  upstream local {\n    server localhost:8080 weight=2;\n  }\n}\n",
                HostLookup.SYSTEM);
        groups.finish();
        List<Peer> peers = groups.find("local").peers();
        assertThat(peers).extracting(Peer::address).containsExactlyElementsOf(localhost(8080));
        assertThat(peers).extracting(Peer::address).contains(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(peers).extracting(Peer::name).contains("127.0.0.1:8080");
        assertThat(peers).allSatisfy(p -> assertThat(p.weight()).isEqualTo(2));
    }

    @Test
    void httpLevelServerAndKeepaliveTimeoutKeepTheirMeaning() throws Exception {
        UpstreamGroups groups = load("""
                http {
                    keepalive_timeout 10s;
                    upstream u {
                        server 127.0.0.1:81;
                        keepalive_timeout 5s;
                    }
                    server {
                        listen 127.0.0.1:8080;
                        keepalive_timeout 20s 10s;
                    }
                }
                """, LOCALHOST_ONLY);
        groups.finish();
        assertThat(groups.find("u").keepalive().timeoutMs()).isEqualTo(5_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "upstream u { }                                   | no servers are inside upstream",
        "upstream u { server 127.0.0.1 backup; }          | no servers in upstream \"u\"",
        "upstream u { server 127.0.0.1 foo; }             | invalid parameter \"foo\"",
        "upstream u { server 127.0.0.1 weight=0; }        | invalid parameter \"weight=0\"",
        "upstream u { server 127.0.0.1 weight=x; }        | invalid parameter \"weight=x\"",
        "upstream u { server 127.0.0.1 max_fails=-1; }    | invalid parameter \"max_fails=-1\"",
        "upstream u { server 127.0.0.1 fail_timeout=5ms; }| invalid parameter \"fail_timeout=5ms\"",
        "upstream u { server 127.0.0.1 Backup; }          | invalid parameter \"Backup\"",
        "upstream u { server nosuch:81; }                 | host not found in upstream \"nosuch:81\"",
        "upstream u { server nosuch.example weight=0; }   | invalid parameter \"weight=0\"",
        "upstream u { server 127.0.0.1:0; }               | invalid port in upstream \"127.0.0.1:0\"",
        "upstream u { server 127.0.0.1:65536; }           | invalid port in upstream \"127.0.0.1:65536\"",
        "upstream u { server :80; }                       | no host in upstream \":80\"",
        "upstream u { server 127.0.0.1/x; }               | invalid host in upstream \"127.0.0.1/x\"",
        "upstream u { server [::g]:80; }                  | invalid IPv6 address in upstream \"[::g]:80\"",
        "upstream u { server [::1]x; }                    | invalid host in upstream \"[::1]x\"",
        "upstream u { server unix:/tmp/s.sock; }          | unix domain sockets are not supported by Tunnelgate in upstream \"unix:/tmp/s.sock\"",
        "upstream u { server 127.0.0.1 max_conns=10; }    | the \"max_conns\" parameter is not supported by Tunnelgate",
        "upstream u { server 127.0.0.1; keepalive 0; }    | invalid value \"0\" in \"keepalive\" directive",
        "upstream u { server 127.0.0.1; keepalive 2; keepalive 3; } | \"keepalive\" directive is duplicate",
        "upstream u { server 127.0.0.1; keepalive_timeout x; }      | \"keepalive_timeout\" directive invalid value",
        "upstream u { server 127.0.0.1; keepalive_requests -1; }    | \"keepalive_requests\" directive invalid number",
        "upstream u { server 127.0.0.1; keepalive_time 1 2 3; }     | invalid number of arguments in \"keepalive_time\" directive",
        "upstream u { server 127.0.0.1; zone z 1k; }      | zone \"z\" is too small",
        "upstream u { server 127.0.0.1; zone z big; }     | invalid zone size \"big\"",
        "upstream u { server 127.0.0.1; least_conn; }     | \"least_conn\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; ip_hash; }        | \"ip_hash\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; hash $uri consistent; } | \"hash\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; random two; }     | \"random\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; ntlm; }           | \"ntlm\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; sticky cookie s; }| \"sticky\" is not supported: Tunnelgate balances upstream servers with round-robin only",
        "upstream u { server 127.0.0.1; resolver 127.0.0.1; } | \"resolver\" directive is not allowed here",
        "upstream u { server 127.0.0.1 { } }              | directive \"server\" is not terminated by \";\"",
        "upstream u { server; }                           | invalid number of arguments in \"server\" directive",
        "upstream u v { server 127.0.0.1; }               | invalid number of arguments in \"upstream\" directive",
        "keepalive 8;                                     | \"keepalive\" directive is not allowed here",
        "server { upstream u { server 127.0.0.1; } }      | \"upstream\" directive is not allowed here"})
    void nginxsErrorsWithFileAndLine(String block, String reason) {
        // the offending directive is on line 3 of the file
        String text = "\nhttp {\n" + block + "\n}\n";
        assertThatThrownBy(() -> loadAndFinish(text)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).isEqualTo(reason + " in " + FILE + ":3");
        });
    }

    @Test
    void aDuplicateUpstreamIsReportedAtTheSecondBlockWhateverTheCase() {
        String text = "http {\n  upstream u { server 127.0.0.1; }\n  upstream U { server 127.0.0.2; }\n}\n";
        assertThatThrownBy(() -> loadAndFinish(text)).isInstanceOf(ConfigException.class)
                .hasMessage("duplicate upstream \"U\" in " + FILE + ":3");
    }

    @Test
    void configsLoadFinishesTheGroups() {
        String text = "http {\n  upstream u {\n    server 127.0.0.1 backup;\n  }\n}\n";
        Path file = dir.resolve("t.conf");
        try (LogWriter writer = new LogWriter()) {
            writer.start();
            assertThatThrownBy(() -> Configs.load(ConfigReader.read(text, file), null, dir, writer, new LogClock()))
                    .isInstanceOf(ConfigException.class).hasMessage("no servers in upstream \"u\" in " + file + ":2");
        }
    }
}
