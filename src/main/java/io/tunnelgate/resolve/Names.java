package io.tunnelgate.resolve;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Host name helpers shared by both engines. */
final class Names {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private Names() {
    }

    /** Lower case, without one trailing dot: the form names are compared and cached in. */
    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * Whether a normalised name can be asked at all: 1-253 characters of 1-63 character labels. nginx
     * answers other names with "Host not found" without sending a query, and so do we.
     */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        int start = 0;
        while (start <= name.length()) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            if (end == start || end - start > MAX_LABEL) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
        return false;
    }

    /**
     * The address an IP literal stands for, or null for a name. IPv4 is read the nginx way (decimal
     * parts, see {@link ResolverArgs#ipv4Literal}); IPv6 may come with or without brackets.
     */
    static InetAddress literal(String name) {
        InetAddress v4 = ResolverArgs.ipv4Literal(name);
        if (v4 != null) {
            return v4;
        }
        String inner = name.length() > 2 && name.startsWith("[") && name.endsWith("]")
                ? name.substring(1, name.length() - 1) : name;
        if (inner.indexOf(':') < 0 || inner.indexOf('%') >= 0 || !NetUtil.isValidIpV6Address(inner)) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(inner);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
