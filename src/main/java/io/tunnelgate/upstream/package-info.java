/**
 * Upstream server groups for {@code proxy_pass}: nginx's {@code upstream { }} block and the groups
 * nginx makes implicitly for {@code proxy_pass http://host:port}, and the round-robin balancer that
 * picks a server of a group for each try of a request.
 *
 * <p>Groups are immutable data built at load ({@link io.tunnelgate.upstream.UpstreamGroups}; host
 * names are resolved then, off the event loops). What changes at run time, the smooth weighted
 * round-robin position and the failure counts of {@code max_fails}/{@code fail_timeout}, lives in
 * a {@link io.tunnelgate.upstream.Balancer} per group <em>per event loop</em>: the loop that
 * serves a request owns the state it touches, so nothing is shared or locked. nginx keeps this
 * state per worker process unless the group has a {@code zone}; Tunnelgate's event loops play the
 * part of nginx's workers, so {@code zone} is accepted and ignored.
 *
 * <p>Only round-robin exists; the other balancing methods are refused at load.
 */
package io.tunnelgate.upstream;
