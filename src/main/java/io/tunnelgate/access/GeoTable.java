package io.tunnelgate.access;

import java.util.ArrayList;
import java.util.List;

/**
 * The table of a {@code geo} block: the value for a client address, as nginx's geo module finds
 * it. Without {@code ranges}: the longest IPv4 or IPv6 network containing the address (an
 * IPv4-mapped IPv6 address is looked up as IPv4), {@code default} being the whole address space of
 * both families. With {@code ranges}: the IPv4 range containing the address, else the default;
 * IPv6 addresses then always get the default. An address that could not be parsed is looked up as
 * nginx's {@code INADDR_NONE}, 255.255.255.255. Values are plain strings; without a default the
 * value is empty.
 */
public final class GeoTable {
    private static final byte[] INADDR_NONE = {-1, -1, -1, -1};

    private final NetworkTree<String> v4;
    private final NetworkTree<String> v6;
    private final GeoRanges ranges;
    private final String rangeDefault;

    private GeoTable(NetworkTree<String> v4, NetworkTree<String> v6, GeoRanges ranges, String rangeDefault) {
        this.v4 = v4;
        this.v6 = v6;
        this.ranges = ranges;
        this.rangeDefault = rangeDefault;
    }

    /**
     * The value for an address.
     *
     * @param address 4 or 16 bytes, or null when there is no IP address (it did not parse, or the
     *     client came over a Unix socket)
     */
    public String find(byte[] address) {
        if (ranges != null) {
            String v = ranges.find(address == null ? IpAddresses.NONE : IpAddresses.ipv4(address));
            return v != null ? v : rangeDefault;
        }
        if (address == null) {
            return v4.find(INADDR_NONE, 0, 32);
        }
        if (address.length == 4) {
            return v4.find(address, 0, 32);
        }
        if (IpAddresses.isV4Mapped(address)) {
            return v4.find(address, 12, 32);
        }
        return v6.find(address, 0, 128);
    }

    /** Collects a geo block's lines in config order with nginx's checks and warnings. */
    public static final class Builder {
        private final NetworkTree<String> v4 = new NetworkTree<>();
        private final NetworkTree<String> v6 = new NetworkTree<>();
        private GeoRanges.Builder ranges;
        private String rangeDefault;
        private boolean networks;

        /** Whether a network line (a network, {@code default} or {@code delete}) has been read. */
        public boolean hasNetworks() {
            return networks;
        }

        /** {@code ranges}: the lines that follow are ranges. */
        public void ranges() {
            ranges = new GeoRanges.Builder();
        }

        public boolean isRanges() {
            return ranges != null;
        }

        /**
         * {@code default value}.
         *
         * @return warnings (a default given before), possibly empty
         */
        public List<String> defaultValue(String value) {
            List<String> warnings = new ArrayList<>(0);
            if (ranges != null) {
                if (rangeDefault != null) {
                    warnings.add("duplicate default geo range value: \"" + value + "\", old value: \""
                            + rangeDefault + "\"");
                }
                rangeDefault = value;
                return warnings;
            }
            networks = true;
            add(v4, new byte[4], 0, value, "default", warnings);
            add(v6, new byte[16], 0, value, "default", warnings);
            return warnings;
        }

        /**
         * {@code network value}.
         *
         * @param text the network as written, for messages
         * @return warnings (a duplicate network), possibly empty
         */
        public List<String> network(Cidr network, String value, String text) {
            networks = true;
            List<String> warnings = new ArrayList<>(0);
            add(network.isIpv6() ? v6 : v4, network.networkBytes(), network.prefix(), value, text, warnings);
            return warnings;
        }

        private static void add(NetworkTree<String> tree, byte[] net, int prefix, String value, String text,
                                List<String> warnings) {
            // nginx names the value the network's address found before the change, not the one replaced
            String found = tree.find(net, 0, net.length * 8);
            if (tree.put(net, prefix, value) != null) {
                warnings.add("duplicate network \"" + text + "\", value: \"" + value + "\", old value: \""
                        + found + "\"");
            }
        }

        /**
         * {@code delete network}.
         *
         * @return false when no such network was there (nginx warns)
         */
        public boolean delete(Cidr network) {
            networks = true;
            return (network.isIpv6() ? v6 : v4).delete(network.networkBytes(), network.prefix());
        }

        /**
         * {@code start-end value} in {@code ranges} mode.
         *
         * @return warnings (a duplicate range), possibly empty
         * @throws IllegalArgumentException {@code invalid range} or an overlap, with nginx's message
         */
        public List<String> range(String text, String value) {
            long[] r = parseRange(text);
            return ranges.add(r[0], r[1], value, text);
        }

        /**
         * {@code delete start-end} in {@code ranges} mode.
         *
         * @return false when the range was not there as written (nginx warns)
         * @throws IllegalArgumentException {@code invalid range}
         */
        public boolean deleteRange(String text) {
            long[] r = parseRange(text);
            return ranges.delete(r[0], r[1]);
        }

        /** nginx's range syntax: two IPv4 addresses around the first {@code -}, start &lt;= end. */
        private static long[] parseRange(String text) {
            int dash = text.indexOf('-');
            long start = dash < 0 ? IpAddresses.NONE : IpAddresses.inetAddr(text, 0, dash);
            long end = dash < 0 ? IpAddresses.NONE : IpAddresses.inetAddr(text, dash + 1, text.length());
            if (start == IpAddresses.NONE || end == IpAddresses.NONE || start > end) {
                throw new IllegalArgumentException("invalid range \"" + text + "\"");
            }
            return new long[] {start, end};
        }

        public GeoTable build() {
            if (ranges != null) {
                return new GeoTable(null, null, ranges.build(), rangeDefault != null ? rangeDefault : "");
            }
            v4.putDefaultIfAbsent("");
            v6.putDefaultIfAbsent("");
            return new GeoTable(v4, v6, null, null);
        }
    }
}
