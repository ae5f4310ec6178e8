package io.tunnelgate.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Address formatting the way nginx prints it, and IPv4-mapped normalisation. */
public final class Addresses {
    private Addresses() {
    }

    /** {@code 1.2.3.4} or {@code ::1} (IPv6 without brackets, compressed), as nginx's $remote_addr. */
    public static String ip(InetAddress a) {
        if (a instanceof Inet6Address) {
            return compressIpv6(a.getAddress());
        }
        return a.getHostAddress();
    }

    /** {@code 1.2.3.4:80}, {@code [::1]:80}, or {@code unix:/path} for a Unix socket. */
    public static String text(SocketAddress sa) {
        if (!(sa instanceof InetSocketAddress a)) {
            return sa instanceof UnixListenAddress ? sa.toString() : "unix:" + sa;
        }
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        return ip instanceof Inet6Address ? "[" + ip(ip) + "]:" + a.getPort() : ip(ip) + ":" + a.getPort();
    }

    /**
     * The address a connection really has: an IPv4 client on a dual-stack socket arrives as
     * {@code ::ffff:a.b.c.d}; nginx (with ipv6only=on sockets) would see plain IPv4.
     */
    public static InetSocketAddress normalize(SocketAddress sa) {
        if (!(sa instanceof InetSocketAddress isa) || !(isa.getAddress() instanceof Inet6Address v6)) {
            return sa instanceof InetSocketAddress isa2 ? isa2 : null;
        }
        byte[] b = v6.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return isa;
            }
        }
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return isa;
        }
        try {
            byte[] v4 = {b[12], b[13], b[14], b[15]};
            return new InetSocketAddress(Inet4Address.getByAddress(v4), isa.getPort());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String compressIpv6(byte[] b) {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (word(b, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && word(b, j) == 0) {
                j++;
            }
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(word(b, i)));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    private static int word(byte[] b, int i) {
        return (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
}
