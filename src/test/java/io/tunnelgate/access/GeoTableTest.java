package io.tunnelgate.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * geo's lookups as nginx's geo module does them: longest prefix over IPv4 and IPv6 networks,
 * default, delete, duplicates, and {@code ranges} with nginx's splitting and overlap rules.
 */
class GeoTableTest {
    private final GeoTable.Builder geo = new GeoTable.Builder();

    private static byte[] ip(String text) {
        byte[] a = IpAddresses.parse(text);
        assertThat(a).as(text).isNotNull();
        return a;
    }

    private List<String> net(String cidr, String value) {
        return geo.network(Cidr.parse(cidr).cidr(), value, cidr);
    }

    @Test
    void theLongestIpv4NetworkWins() {
        net("127.0.0.0/8", "loopback");
        net("127.0.0.2/32", "two");
        net("127.0.1.0/24", "one-net");
        geo.defaultValue("world");
        GeoTable t = geo.build();
        assertThat(t.find(ip("127.0.0.1"))).isEqualTo("loopback");
        assertThat(t.find(ip("127.0.0.2"))).isEqualTo("two");
        assertThat(t.find(ip("127.0.1.77"))).isEqualTo("one-net");
        assertThat(t.find(ip("10.1.2.3"))).isEqualTo("world");
    }

    @Test
    void theLongestIpv6NetworkWinsAndMappedAddressesUseTheIpv4Networks() {
        net("2001:db8::/32", "doc");
        net("2001:db8:1::/48", "doc-1");
        net("::1", "v6-loopback");
        net("10.0.0.0/8", "ten");
        GeoTable t = geo.build();
        assertThat(t.find(ip("2001:db8:1::5"))).isEqualTo("doc-1");
        assertThat(t.find(ip("2001:db8:2::5"))).isEqualTo("doc");
        assertThat(t.find(ip("::1"))).isEqualTo("v6-loopback");
        assertThat(t.find(ip("::ffff:10.1.1.1"))).isEqualTo("ten");
        assertThat(t.find(ip("2001:db9::1"))).isEmpty();
    }

    @Test
    void theDefaultCoversBothFamiliesAndIsEmptyWhenNotGiven() {
        net("10.0.0.0/8", "ten");
        assertThat(geo.build().find(ip("192.0.2.1"))).isEmpty();

        GeoTable.Builder withDefault = new GeoTable.Builder();
        withDefault.defaultValue("d");
        GeoTable t = withDefault.build();
        assertThat(t.find(ip("192.0.2.1"))).isEqualTo("d");
        assertThat(t.find(ip("2001:db8::1"))).isEqualTo("d");
    }

    @Test
    void anAddressThatIsNotOneIsLookedUpAsAllOnes() {
        net("255.255.255.255", "none");
        geo.defaultValue("d");
        GeoTable t = geo.build();
        assertThat(t.find(null)).isEqualTo("none");
        assertThat(t.find(ip("1.2.3.4"))).isEqualTo("d");
    }

    @Test
    void deleteRemovesExactlyTheNetworkNamed() {
        net("10.0.0.0/8", "ten");
        net("10.1.0.0/16", "ten-one");
        assertThat(geo.delete(Cidr.parse("10.1.0.0/16").cidr())).isTrue();
        assertThat(geo.delete(Cidr.parse("10.2.0.0/16").cidr())).isFalse();
        // the /8 is only a node on the way to the /16 here: not a network of its own
        assertThat(geo.delete(Cidr.parse("10.0.0.0/12").cidr())).isFalse();
        GeoTable t = geo.build();
        assertThat(t.find(ip("10.1.2.3"))).isEqualTo("ten");
    }

    @Test
    void aDuplicateNetworkWarnsAndTheLaterValueWins() {
        assertThat(net("10.0.0.0/8", "a")).isEmpty();
        assertThat(net("10.0.0.0/8", "b"))
                .containsExactly("duplicate network \"10.0.0.0/8\", value: \"b\", old value: \"a\"");
        assertThat(geo.defaultValue("x")).isEmpty();
        assertThat(geo.defaultValue("y")).containsExactly(
                "duplicate network \"default\", value: \"y\", old value: \"x\"",
                "duplicate network \"default\", value: \"y\", old value: \"x\"");
        assertThat(geo.build().find(ip("10.9.9.9"))).isEqualTo("b");
    }

    @Test
    void rangesFindTheRangeOrTheDefault() {
        geo.ranges();
        geo.range("127.0.0.0-127.0.0.255", "low");
        geo.range("127.0.1.0-127.1.0.10", "spanning");
        geo.defaultValue("d");
        GeoTable t = geo.build();
        assertThat(t.find(ip("127.0.0.9"))).isEqualTo("low");
        assertThat(t.find(ip("127.0.200.1"))).isEqualTo("spanning");
        assertThat(t.find(ip("127.1.0.10"))).isEqualTo("spanning");
        assertThat(t.find(ip("127.1.0.11"))).isEqualTo("d");
        assertThat(t.find(ip("::ffff:127.0.0.9"))).isEqualTo("low");
        assertThat(t.find(ip("::1"))).isEqualTo("d");
        assertThat(t.find(null)).isEqualTo("d");
    }

    @Test
    void aRangeInsideAnotherSplitsItAndAnOverlapIsAnError() {
        geo.ranges();
        geo.range("10.0.0.0-10.0.0.100", "outer");
        geo.range("10.0.0.10-10.0.0.20", "inner");
        geo.range("10.0.0.0-10.0.0.5", "head");
        geo.range("10.0.0.90-10.0.0.100", "tail");
        assertThat(geo.range("10.0.0.10-10.0.0.20", "again"))
                .containsExactly("duplicate range \"10.0.0.10-10.0.0.20\", value: \"again\", old value: \"inner\"");
        assertThatThrownBy(() -> geo.range("10.0.0.15-10.0.0.30", "x"))
                .hasMessage("range \"10.0.0.15-10.0.0.30\" overlaps \"10.0.0.21-10.0.0.89\"");
        GeoTable t = geo.build();
        assertThat(t.find(ip("10.0.0.3"))).isEqualTo("head");
        assertThat(t.find(ip("10.0.0.7"))).isEqualTo("outer");
        assertThat(t.find(ip("10.0.0.15"))).isEqualTo("again");
        assertThat(t.find(ip("10.0.0.50"))).isEqualTo("outer");
        assertThat(t.find(ip("10.0.0.95"))).isEqualTo("tail");
        assertThat(t.find(ip("10.0.0.101"))).isEmpty();
    }

    @Test
    void deleteRemovesARangeOnlyAsItWasAdded() {
        geo.ranges();
        geo.range("10.0.0.0-10.0.0.255", "a");
        geo.range("10.0.1.0-10.0.1.255", "b");
        assertThat(geo.deleteRange("10.0.1.0-10.0.1.255")).isTrue();
        assertThat(geo.deleteRange("10.0.0.0-10.0.0.127")).isFalse();
        GeoTable t = geo.build();
        assertThat(t.find(ip("10.0.1.1"))).isEmpty();
        assertThat(t.find(ip("10.0.0.200"))).isEqualTo("a");
    }

    @Test
    void badRangesAreRefusedAsNginxRefusesThem() {
        geo.ranges();
        for (String bad : List.of("10.0.0.1", "10.0.0.9-10.0.0.1", "10.0.0.0-10.0.0", "a-b",
                "10.0.0.0-255.255.255.255")) {
            assertThatThrownBy(() -> geo.range(bad, "v")).as(bad).hasMessage("invalid range \"" + bad + "\"");
        }
        assertThat(geo.defaultValue("one")).isEmpty();
        assertThat(geo.defaultValue("two"))
                .containsExactly("duplicate default geo range value: \"two\", old value: \"one\"");
    }

    @Test
    void aNetworkLineMarksTheBlockAsStarted() {
        assertThat(geo.hasNetworks()).isFalse();
        geo.defaultValue("d");
        assertThat(geo.hasNetworks()).isTrue();
    }
}
