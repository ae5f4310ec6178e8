package io.tunnelgate.access;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address), matched
 * against addresses byte by byte. Parsed without any name lookup.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** The result of parsing: the network, and whether the text had host bits set (nginx warns). */
    public record Parsed(Cidr cidr, boolean hostBitsSet) {
    }

    /**
     * Parses {@code a.b.c.d[/n]} or {@code ipv6[/n]}.
     *
     * @return null when {@code text} is not an address or network
     */
    public static Parsed parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(addr);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return null;
            }
        }
        byte[] network = bytes.clone();
        boolean hostBits = false;
        for (int bit = prefix; bit < max; bit++) {
            int i = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            if ((network[i] & mask) != 0) {
                hostBits = true;
                network[i] &= (byte) ~mask;
            }
        }
        return new Parsed(new Cidr(network, prefix, text), hostBits);
    }

    /** Whether {@code address} is in this network (an IPv4 network never matches IPv6 and back). */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** As {@link #contains(InetAddress)}, for the raw address bytes. */
    public boolean contains(byte[] a) {
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** The prefix length (longest-prefix matches in {@code geo}). */
    public int prefix() {
        return prefix;
    }

    /** Whether this is an IPv6 network. */
    public boolean isIpv6() {
        return network.length == 16;
    }

    /** The network address's bytes (4 or 16, as written: an IPv4-mapped IPv6 network stays 16). */
    public byte[] networkBytes() {
        return network.clone();
    }

    /** The network address. */
    public InetAddress networkAddress() {
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
