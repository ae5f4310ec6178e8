package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * server_name matching in nginx's order: exact name, longest leading wildcard, longest trailing
 * wildcard, first regex in config order, then the default server.
 */
class VirtualHostsTest {

    private static ServerConf server(String... names) {
        return new ServerConf(List.of(names), List.of(), null, List.of(), AccessConf.NONE, null, Locations.NONE, null,
                null, null, null);
    }

    @Test
    void exactNameBeatsEveryWildcardAndRegex() {
        ServerConf regex = server("~^www\\.");
        ServerConf leading = server("*.example.com");
        ServerConf trailing = server("www.example.*");
        ServerConf exact = server("www.example.com");
        VirtualHosts hosts = new VirtualHosts(List.of(regex, leading, trailing, exact), regex);
        assertThat(hosts.select("www.example.com")).isSameAs(exact);
        assertThat(hosts.select("web.example.com")).isSameAs(leading);
        assertThat(hosts.select("www.example.org")).isSameAs(trailing);
        assertThat(hosts.select("www.other.org")).isSameAs(regex);
    }

    @Test
    void longestLeadingWildcardWinsWhateverTheOrder() {
        ServerConf shorter = server("*.example.com");
        ServerConf longer = server("*.api.example.com");
        VirtualHosts hosts = new VirtualHosts(List.of(shorter, longer), shorter);
        assertThat(hosts.select("v1.api.example.com")).isSameAs(longer);
        assertThat(hosts.select("api.example.com")).isSameAs(shorter);
        assertThat(hosts.select("example.com")).as("*. needs a label before it").isSameAs(shorter);
    }

    @Test
    void leadingWildcardNeedsALabelButDotFormAlsoMatchesTheBareName() {
        ServerConf def = server("default.test");
        ServerConf star = server("*.star.test");
        ServerConf dot = server(".dot.test");
        VirtualHosts hosts = new VirtualHosts(List.of(def, star, dot), def);
        assertThat(hosts.select("a.star.test")).isSameAs(star);
        assertThat(hosts.select("star.test")).isSameAs(def);
        assertThat(hosts.select("xstar.test")).isSameAs(def);
        assertThat(hosts.select("dot.test")).isSameAs(dot);
        assertThat(hosts.select("a.b.dot.test")).isSameAs(dot);
        assertThat(hosts.select("xdot.test")).isSameAs(def);
    }

    @Test
    void longestTrailingWildcardWins() {
        ServerConf shorter = server("www.*");
        ServerConf longer = server("www.example.*");
        VirtualHosts hosts = new VirtualHosts(List.of(shorter, longer), shorter);
        assertThat(hosts.select("www.example.net")).isSameAs(longer);
        assertThat(hosts.select("www.other.net")).isSameAs(shorter);
    }

    @Test
    void leadingWildcardBeatsTrailing() {
        ServerConf trailing = server("www.example.*");
        ServerConf leading = server("*.example.com");
        VirtualHosts hosts = new VirtualHosts(List.of(trailing, leading), trailing);
        assertThat(hosts.select("www.example.com")).isSameAs(leading);
    }

    @Test
    void firstMatchingRegexInConfigOrderIsUnanchoredUnlessWrittenSo() {
        ServerConf def = server("default.test");
        ServerConf first = server("~example");
        ServerConf second = server("~^www\\.example\\.com$");
        VirtualHosts hosts = new VirtualHosts(List.of(def, first, second), def);
        assertThat(hosts.select("www.example.com")).isSameAs(first);
        assertThat(hosts.select("myexample.org")).isSameAs(first);
        assertThat(hosts.select("www.other.com")).isSameAs(def);
    }

    @Test
    void noMatchGoesToTheDefaultServerNotTheFirst() {
        ServerConf first = server("first.test");
        ServerConf def = server("default.test");
        VirtualHosts hosts = new VirtualHosts(List.of(first, def), def);
        assertThat(hosts.defaultServer()).isSameAs(def);
        assertThat(hosts.select("unknown.test")).isSameAs(def);
        assertThat(hosts.select(null)).isSameAs(def);
        assertThat(hosts.select("")).isSameAs(def);
    }

    @Test
    void missingHostPicksTheServerNamedEmptyIfThereIsOne() {
        ServerConf def = server("default.test");
        ServerConf empty = server("");
        VirtualHosts hosts = new VirtualHosts(List.of(def, empty), def);
        assertThat(hosts.select(null)).isSameAs(empty);
        assertThat(hosts.select("")).isSameAs(empty);
        assertThat(hosts.select("unknown.test")).isSameAs(def);
    }

    @Test
    void firstServerWithANameKeepsIt() {
        ServerConf one = server("dup.test");
        ServerConf two = server("dup.test");
        assertThat(new VirtualHosts(List.of(one, two), two).select("dup.test")).isSameAs(one);
    }
}
