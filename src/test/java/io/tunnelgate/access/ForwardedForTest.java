package io.tunnelgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.api.Test;

/** geo's {@code proxy} / {@code proxy_recursive}: the client address from X-Forwarded-For, by the realip rules. */
class ForwardedForTest {
    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8").cidr(), Cidr.parse("::1").cidr());

    private static String apply(boolean recursive, String client, String... headers) {
        byte[] a = new ForwardedFor(TRUSTED, recursive).apply(IpAddresses.parse(client), List.of(headers));
        return NetUtil.bytesToIpAddress(a);
    }

    @Test
    void aTrustedProxysLastForwardedAddressIsTaken() {
        assertThat(apply(false, "10.0.0.1", "192.0.2.1, 10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(apply(false, "10.0.0.1", "192.0.2.9:5555 ,, ")).isEqualTo("192.0.2.9");
        assertThat(apply(false, "::1", "[2001:db8::5]:80")).isEqualTo("2001:db8::5");
    }

    @Test
    void anUntrustedClientOrABadAddressKeepsTheClient() {
        assertThat(apply(false, "192.0.2.1", "198.51.100.1")).isEqualTo("192.0.2.1");
        assertThat(apply(false, "10.0.0.1", "unknown")).isEqualTo("10.0.0.1");
    }

    @Test
    void recursivelyTheFirstUntrustedAddressFromTheRightIsTaken() {
        assertThat(apply(true, "10.0.0.1", "192.0.2.1, 198.51.100.2, 10.0.0.7")).isEqualTo("198.51.100.2");
        assertThat(apply(true, "10.0.0.1", "10.0.0.3, 10.0.0.7")).isEqualTo("10.0.0.3");
    }

    @Test
    void severalHeadersAreReadLastFirst() {
        assertThat(apply(true, "10.0.0.1", "192.0.2.1", "10.0.0.5")).isEqualTo("192.0.2.1");
        assertThat(apply(false, "10.0.0.1", "192.0.2.1", "10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(apply(true, "10.0.0.1", "192.0.2.1", "198.51.100.3, 10.0.0.5")).isEqualTo("198.51.100.3");
    }
}
