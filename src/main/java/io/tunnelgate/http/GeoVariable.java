package io.tunnelgate.http;

import io.netty.util.AsciiString;
import io.tunnelgate.access.ForwardedFor;
import io.tunnelgate.access.GeoTable;
import io.tunnelgate.access.IpAddresses;
import io.tunnelgate.script.Getter;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The value of a {@code geo} variable for a request: the address is the client's (or the source
 * variable's value parsed as an address), replaced from {@code X-Forwarded-For} when it is a
 * trusted {@code proxy}, then looked up in the {@link GeoTable}. As in nginx, a source variable
 * that is not found or not an address is looked up as 255.255.255.255 (X-Forwarded-For is then not
 * read), and so is a client of a Unix socket.
 */
final class GeoVariable implements Getter<Request> {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final GeoTable table;
    private final Getter<Request> source;
    private final ForwardedFor forwarded;

    /**
     * @param source the source variable, or null for the client's address
     * @param forwarded the {@code proxy} rules, or null when there are none
     */
    GeoVariable(GeoTable table, Getter<Request> source, ForwardedFor forwarded) {
        this.table = table;
        this.source = source;
        this.forwarded = forwarded;
    }

    @Override
    public String get(Request r) {
        byte[] address = address(r);
        if (address != null && forwarded != null) {
            List<String> xff = r.headers().getAll(X_FORWARDED_FOR);
            if (!xff.isEmpty()) {
                address = forwarded.apply(address, xff);
            }
        }
        return table.find(address);
    }

    private byte[] address(Request r) {
        if (source == null) {
            InetSocketAddress client = r.connection().remoteAddress();
            return client == null ? null : client.getAddress().getAddress();
        }
        String v = source.get(r);
        return v == null ? null : IpAddresses.parse(v);
    }
}
