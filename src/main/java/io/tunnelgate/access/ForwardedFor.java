package io.tunnelgate.access;

import java.util.Arrays;
import java.util.List;

/**
 * The client address behind trusted proxies, from {@code X-Forwarded-For}, as nginx finds it for
 * {@code geo}'s {@code proxy} and {@code proxy_recursive} (the same rules as the realip module):
 * when the address is a trusted proxy, the last address of the header replaces it; recursively,
 * while the replacement is trusted too, the address before it is taken. Several headers are read
 * as one list, the last header last.
 */
public final class ForwardedFor {
    private final List<Cidr> proxies;
    private final boolean recursive;

    /**
     * @param proxies the trusted networks ({@code proxy} lines), not empty
     * @param recursive {@code proxy_recursive}
     */
    public ForwardedFor(List<Cidr> proxies, boolean recursive) {
        this.proxies = List.copyOf(proxies);
        this.recursive = recursive;
    }

    /**
     * The address to use instead of {@code address}.
     *
     * @param address 4 or 16 bytes
     * @param headers the {@code X-Forwarded-For} values in the order received
     */
    public byte[] apply(byte[] address, List<String> headers) {
        Step step = new Step(address);
        for (int i = headers.size() - 1; i >= 0; i--) {
            String h = headers.get(i);
            // an earlier header is read only when this one was taken whole
            if (!step.take(h, h.length()) || !recursive) {
                break;
            }
        }
        return step.address;
    }

    /** The walk through one request's header values; {@code address} is where it has got to. */
    private final class Step {
        byte[] address;
        /** The walk met an address that is not a trusted proxy after taking at least one. */
        boolean stopped;

        Step(byte[] address) {
            this.address = address;
        }

        /**
         * nginx's {@code ngx_http_get_forwarded_addr_internal} on {@code xff[0, len)}.
         *
         * @return true when every address looked at was taken (nginx's NGX_OK)
         */
        boolean take(String xff, int len) {
            if (len == 0 || !trusted(address)) {
                return false;
            }
            int p = len - 1;
            int end = len;
            while (p > 0 && separator(xff.charAt(p))) {
                p--;
                end--;
            }
            while (p > 0) {
                if (separator(xff.charAt(p))) {
                    p++;
                    break;
                }
                p--;
            }
            byte[] parsed = IpAddresses.parseWithPort(xff, p, end);
            if (parsed == null) {
                return false;
            }
            address = parsed;
            if (recursive && p > 0) {
                if (!take(xff, p - 1)) {
                    stopped = true;
                }
                return !stopped;
            }
            return true;
        }
    }

    private boolean trusted(byte[] address) {
        byte[] a = IpAddresses.isV4Mapped(address) ? Arrays.copyOfRange(address, 12, 16) : address;
        for (Cidr c : proxies) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean separator(char c) {
        return c == ' ' || c == ',';
    }
}
