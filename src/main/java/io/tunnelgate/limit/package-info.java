/**
 * nginx's per-client limits: {@code limit_conn_zone} / {@code limit_conn} (concurrent requests
 * per key; for CONNECT, concurrent tunnels) and {@code limit_req_zone} / {@code limit_req} (the
 * leaky bucket of {@code ngx_http_limit_req_module}), run in the pre-access phase.
 *
 * <p>Zones are shared by every event loop of the process and bounded in memory by their size;
 * the per-level settings are immutable and built once per configuration load.
 */
package io.tunnelgate.limit;
