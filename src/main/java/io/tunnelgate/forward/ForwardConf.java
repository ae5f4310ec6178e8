package io.tunnelgate.forward;

import io.tunnelgate.http.ProxyGuard;
import io.tunnelgate.resolve.ResolverSpec;
import io.tunnelgate.upstream.UpstreamGroups;
import java.util.List;

/**
 * A {@code proxy_pass} location's merged forwarding settings, immutable once loaded.
 *
 * @param pass where requests go
 * @param headers {@code proxy_set_header} rules in config order, nginx's defaults added
 * @param replaced names whose client headers are not passed (those of {@code headers} and the
 *     ones Tunnelgate frames itself)
 * @param hide response headers not passed to the client
 * @param http11 {@code proxy_http_version 1.1} (pooled keep-alive upstream connections)
 * @param bufferSize {@code proxy_buffer_size}: the largest upstream response head
 * @param clientSendMillis {@code send_timeout}: how long the client may stall a response
 * @param via {@code proxy_via}: add a {@code Via} header both ways
 * @param resolver the resolver for names in a variable URL, or null when none is configured
 * @param groups the upstream blocks, which a variable URL's host may name
 * @param guard the location's destination policy and {@code proxy_status}
 * @param relaySplice the server's {@code relay_splice} (bytes before splicing, -1 never), for a
 *     connection upgraded by a 101
 */
record ForwardConf(ProxyPass pass, List<HeaderRule> headers, HeaderNameSet replaced, HeaderNameSet hide,
                   boolean http11, long connectMillis, long readMillis, long sendMillis, long clientSendMillis,
                   int bufferSize, boolean interceptErrors, NextUpstream next, boolean via,
                   ResolverSpec resolver, UpstreamGroups groups, ProxyGuard guard, long relaySplice) {
    ForwardConf {
        headers = List.copyOf(headers);
    }
}
