/**
 * Asynchronous DNS for the connect flow and {@code proxy_pass} with variables.
 *
 * <p>Two engines sit behind one API ({@link io.tunnelgate.resolve.Resolvers} ->
 * {@link io.tunnelgate.resolve.NameResolver}):
 * <ul>
 *   <li>a configured {@code resolver address ...} behaves like nginx's resolver: A (+AAAA) queries to the
 *       listed servers, round-robin with resends, no hosts file, no search domains, answers cached for the
 *       smallest TTL or {@code valid=}, errors never cached;</li>
 *   <li>{@code resolver system;} (a Tunnelgate extension) behaves like the OS: hosts file first, then the
 *       nameservers, search domains and ndots of resolv.conf.</li>
 * </ul>
 * Netty's {@code DnsNameResolver} carries the queries (UDP with TCP fallback on truncation) in both.
 */
package io.tunnelgate.resolve;
