package io.tunnelgate.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The named address sets of {@code destination_allow} and {@code destination_deny}, and the
 * normalisation both the dialled address and the rules' networks go through before they are
 * compared: an IPv6 address that stands for an IPv4 one (IPv4-mapped {@code ::ffff:a.b.c.d},
 * IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}) is matched as that IPv4
 * address, so {@code destination_deny loopback} also stops {@code [::ffff:127.0.0.1]}.
 */
public final class DestinationNets {
    private static final Map<String, List<Cidr>> NAMED = Map.of(
            "loopback", nets("127.0.0.0/8", "::1"),
            "private", nets("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"),
            "link-local", nets("169.254.0.0/16", "fe80::/10", "fd00:ec2::254"),
            "multicast", nets("224.0.0.0/4", "ff00::/8"),
            "unspecified", nets("0.0.0.0/8", "::"));

    private DestinationNets() {
    }

    /** The networks of a named set ({@code loopback}, {@code private} ...), or null for any other word. */
    public static List<Cidr> named(String name) {
        return NAMED.get(name);
    }

    /** The 4 bytes of the IPv4 address that 16 address bytes stand for, else the bytes as they are. */
    public static byte[] normalize(byte[] a) {
        if (a.length == 16 && (IpAddresses.isV4Mapped(a) || isNat64(a) || isV4Compatible(a))) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        return a;
    }

    /** {@link #normalize(byte[])} of an address. */
    public static byte[] normalize(InetAddress a) {
        return normalize(a.getAddress());
    }

    /**
     * A rule's network written in one of the IPv6 forms of IPv4 ({@code ::ffff:10.0.0.0/104}), as
     * the IPv4 network it stands for ({@code 10.0.0.0/8}), so that it still matches normalised
     * addresses; a shorter prefix (it spans more than IPv4) and any other network stay as written.
     */
    public static Cidr normalize(Cidr c) {
        byte[] net = c.networkBytes();
        if (net.length != 16 || c.prefix() < 96) {
            return c;
        }
        byte[] v4 = normalize(net);
        if (v4.length != 4) {
            return c;
        }
        try {
            return Cidr.parse(InetAddress.getByAddress(v4).getHostAddress() + "/" + (c.prefix() - 96)).cidr();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code 64:ff9b::/96}, RFC 6052's well-known NAT64 prefix. */
    private static boolean isNat64(byte[] a) {
        if (a[0] != 0 || a[1] != 0x64 || a[2] != (byte) 0xff || a[3] != (byte) 0x9b) {
            return false;
        }
        return zero(a, 4, 12);
    }

    /** {@code ::a.b.c.d} (deprecated, RFC 4291), but not {@code ::} and {@code ::1}, which are IPv6's own. */
    private static boolean isV4Compatible(byte[] a) {
        if (!zero(a, 0, 12)) {
            return false;
        }
        return a[12] != 0 || a[13] != 0 || a[14] != 0 || (a[15] & 0xff) > 1;
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static List<Cidr> nets(String... texts) {
        return Arrays.stream(texts).map(t -> Cidr.parse(t).cidr()).toList();
    }
}
