package io.tunnelgate.tunnel;

import io.tunnelgate.http.Request;
import io.tunnelgate.script.ComplexValue;
import java.net.InetSocketAddress;

/**
 * {@code proxy_connect_bind}: the local address upstream connections come from, fixed at load or
 * evaluated per request, optionally with {@code IP_TRANSPARENT}.
 *
 * @param fixed the address when it has no variables, else null
 * @param value the per-request value when it has variables, else null
 */
record BindSpec(InetSocketAddress fixed, ComplexValue<Request> value, boolean transparent) {
}
