package io.tunnelgate.tunnel;

import io.tunnelgate.http.ProxyGuard;
import io.tunnelgate.http.Request;
import io.tunnelgate.resolve.ResolverSpec;
import io.tunnelgate.script.ComplexValue;

/**
 * A server's CONNECT settings after merging with http-level values.
 *
 * @param connectTimeoutMillis {@code proxy_connect_connect_timeout} (default 60 s, as the code has it)
 * @param dataTimeoutMillis {@code proxy_connect_data_timeout} / {@code _read_timeout}: the idle timeout
 * @param sendTimeoutMillis {@code proxy_connect_send_timeout}: kept for {@code $proxy_connect_send_timeout}
 * @param halfClose {@code proxy_connect_half_close} (Tunnelgate's): pass each FIN on instead of
 *     closing the tunnel at the first EOF
 * @param spliceAfter {@code relay_splice} (Tunnelgate's): bytes a direction moves through buffers
 *     before it splices, where the connections allow it; -1 never
 * @param resolver the resolver for names, or null when none is configured
 * @param address {@code proxy_connect_address}, or null
 * @param bind {@code proxy_connect_bind}, or null (none, or {@code off})
 * @param response {@code proxy_connect_response} of the server itself (never inherited), or null
 * @param guard the server's destination policy and {@code proxy_status}
 */
record TunnelConf(PortSet ports, long connectTimeoutMillis, long dataTimeoutMillis, long sendTimeoutMillis,
                  boolean halfClose, long spliceAfter, ResolverSpec resolver, ComplexValue<Request> address, BindSpec bind,
                  ComplexValue<Request> response, ProxyGuard guard) {
}
