package io.tunnelgate.upstream;

import static io.tunnelgate.upstream.UpstreamConfigTest.FILE;
import static io.tunnelgate.upstream.UpstreamConfigTest.LOCALHOST_ONLY;
import static io.tunnelgate.upstream.UpstreamConfigTest.load;
import static io.tunnelgate.upstream.UpstreamConfigTest.localhost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.Arg;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigLoader;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.config.LoadContext;
import io.tunnelgate.config.SourcePos;
import io.tunnelgate.server.Configs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamGroups#finish()} binding {@code proxy_pass} references as nginx's
 * ngx_http_upstream_add does: to the block of that name when the URL has no port, else an error;
 * otherwise to an implicit group resolved at load and shared by equal host:port references.
 */
class UpstreamGroupsTest {
    private static final String BLOCKS = """
            http {
                upstream backend {
                    server 127.0.0.1:8081;
                    server 127.0.0.1:8082;
                }
            }
            """;

    private static ConfigNode proxyPass(String url, int line) {
        return new ConfigNode("proxy_pass", List.of(new Arg(url, false)), new SourcePos(FILE, line), null);
    }

    @Test
    void aUrlWithoutPortUsesTheBlockOfThatNameWhereverItIs() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        UpstreamRef ref = groups.reference("Backend", 80, false, proxyPass("http://Backend", 20));
        assertThat(groups.find("backend")).as("nothing is found before finish").isNull();
        assertThatThrownBy(ref::group).isInstanceOf(IllegalStateException.class);
        groups.finish();
        assertThat(ref.group()).isSameAs(groups.find("backend")).isSameAs(groups.find("BACKEND"));
        assertThat(ref.group().implicit()).isFalse();
        assertThat(ref.group().peers()).extracting(Peer::name).containsExactly("127.0.0.1:8081", "127.0.0.1:8082");
    }

    @Test
    void aUrlWithAPortMayNotNameABlock() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        groups.reference("backend", 8080, true, proxyPass("http://backend:8080", 12));
        assertThatThrownBy(groups::finish).isInstanceOf(ConfigException.class)
                .hasMessage("upstream \"backend\" may not have port 8080 in " + FILE + ":12");
    }

    @Test
    void anExplicitDefaultPortCountsAsAPort() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        groups.reference("backend", 80, true, proxyPass("http://backend:80", 7));
        assertThatThrownBy(groups::finish).isInstanceOf(ConfigException.class)
                .hasMessage("upstream \"backend\" may not have port 80 in " + FILE + ":7");
    }

    @Test
    void otherHostsAreResolvedIntoSharedImplicitGroups() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        UpstreamRef a = groups.reference("localhost", 8080, true, proxyPass("http://localhost:8080", 3));
        UpstreamRef b = groups.reference("LOCALHOST", 8080, true, proxyPass("http://LOCALHOST:8080/x", 4));
        UpstreamRef c = groups.reference("localhost", 80, false, proxyPass("http://localhost", 5));
        groups.finish();
        UpstreamGroup g = a.group();
        assertThat(g.implicit()).isTrue();
        assertThat(g.name()).isEqualTo("localhost");
        assertThat(g.pos()).isEqualTo(new SourcePos(FILE, 3));
        assertThat(g.peers()).extracting(Peer::address).containsExactlyElementsOf(localhost(8080));
        assertThat(b.group()).as("same host and port: one group, one balancing state").isSameAs(g);
        assertThat(c.group()).isNotSameAs(g);
        assertThat(c.group().peers()).extracting(Peer::address).containsExactlyElementsOf(localhost(80));
        assertThat(groups.find("localhost")).as("find() sees upstream blocks only").isNull();
    }

    @Test
    void ipLiteralsNeedNoLookup() throws Exception {
        UpstreamGroups groups = load(BLOCKS, host -> {
            throw new AssertionError("looked up " + host);
        });
        UpstreamRef v4 = groups.reference("127.0.0.1", 9, true, proxyPass("http://127.0.0.1:9", 3));
        UpstreamRef v6 = groups.reference("[::1]", 80, false, proxyPass("http://[::1]", 4));
        groups.finish();
        assertThat(v4.group().peers()).extracting(Peer::address).containsExactly(new InetSocketAddress("127.0.0.1", 9));
        assertThat(v6.group().peers()).extracting(Peer::name).containsExactly("[::1]:80");
    }

    @Test
    void anUnknownHostIsReportedAtTheProxyPassLine() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        groups.reference("nosuch.test", 80, false, proxyPass("http://nosuch.test", 9));
        assertThatThrownBy(groups::finish).isInstanceOf(ConfigException.class)
                .hasMessage("host not found in upstream \"nosuch.test\" in " + FILE + ":9");
    }

    @Test
    void aBlockAfterTheProxyPassIsFoundToo() throws Exception {
        LoadContext ctx = new LoadContext(Path.of("/"));
        UpstreamGroups groups = UpstreamGroups.of(ctx, LOCALHOST_ONLY);
        // a proxy_pass directive that ran before the block was read
        UpstreamRef ref = groups.reference("late", 80, false, proxyPass("http://late", 1));
        String text = "http {\n  upstream late {\n    server 127.0.0.3:81;\n  }\n}\n";
        new ConfigLoader(Configs.registry()).load(ConfigReader.read(text, FILE).nodes(), ctx);
        groups.finish();
        assertThat(ref.group()).isSameAs(groups.find("late"));
        assertThat(ref.group().peers()).extracting(Peer::name).containsExactly("127.0.0.3:81");
    }

    @Test
    void findIsSafeFromAnyThreadAfterFinish() throws Exception {
        UpstreamGroups groups = load(BLOCKS, LOCALHOST_ONLY);
        groups.finish();
        UpstreamGroup seen = CompletableFuture.supplyAsync(() -> groups.find("backend")).get(10, TimeUnit.SECONDS);
        assertThat(seen).isSameAs(groups.find("backend")).isNotNull();
        assertThat(groups.find("other")).isNull();
        assertThatThrownBy(groups::finish).isInstanceOf(IllegalStateException.class);
    }
}
