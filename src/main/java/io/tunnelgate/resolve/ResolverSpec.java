package io.tunnelgate.resolve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code resolver} directive (plus its {@code resolver_timeout}) as immutable data.
 *
 * @param servers the name servers in directive order; empty exactly when {@code system} is set
 * @param system  {@code resolver system;}: use the hosts file and resolv.conf like the OS does
 * @param valid   {@code valid=}: how long answers are cached, overriding the record TTL both ways;
 *                {@code null} means "use the smallest record TTL" ({@code valid=0} is normalised to null,
 *                as nginx treats it)
 * @param ipv4    query A records ({@code ipv4=on}, the default)
 * @param ipv6    query AAAA records too ({@code ipv6=on}, the default)
 * @param timeout {@code resolver_timeout}: the whole lookup, CNAMEs and resends included, must finish in it
 */
public record ResolverSpec(List<InetSocketAddress> servers, boolean system, Duration valid,
                           boolean ipv4, boolean ipv6, Duration timeout) {

    /** nginx's {@code resolver_timeout} default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Validates and normalises; the messages of config errors are nginx's. */
    public ResolverSpec {
        servers = List.copyOf(servers);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("resolver timeout must be positive: " + timeout);
        }
        if (valid != null && valid.isNegative()) {
            throw new IllegalArgumentException("valid must not be negative: " + valid);
        }
        if (valid != null && valid.isZero()) {
            valid = null;
        }
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("\"ipv4\" and \"ipv6\" cannot both be \"off\"");
        }
        if (system && !servers.isEmpty()) {
            throw new IllegalArgumentException("\"resolver system\" takes no name servers");
        }
        if (!system && servers.isEmpty()) {
            throw new IllegalArgumentException("no name servers defined");
        }
    }

    /** {@code resolver system;} with the given timeout. */
    public static ResolverSpec system(Duration timeout) {
        return new ResolverSpec(List.of(), true, null, true, true, timeout);
    }

    /**
     * Parses the arguments of {@code resolver address ... [valid=time] [ipv4=on|off] [ipv6=on|off]
     * [status_zone=zone]}, or the single argument {@code system}.
     *
     * <p>Host names among the addresses are resolved here, once, with {@link InetAddress#getAllByName}:
     * call this on the config thread, never on an event loop.
     *
     * @param args    the directive's arguments (without the directive name)
     * @param timeout the {@code resolver_timeout} in effect
     * @throws IllegalArgumentException with nginx's message; the caller appends " in file:line"
     */
    public static ResolverSpec parse(List<String> args, Duration timeout) {
        return ResolverArgs.parse(args, timeout, InetAddress::getAllByName);
    }
}
