package io.tunnelgate.resolve;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The addresses a lookup found, with the smallest TTL among the records that led to them.
 *
 * @param addresses  A results then AAAA results; never empty
 * @param ttlSeconds the smallest TTL of the address and CNAME records involved
 */
record Answer(List<InetAddress> addresses, long ttlSeconds) {

    Answer {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("an answer has at least one address");
        }
    }

    /** nginx dials one address chosen at random, both families together. */
    static InetAddress pickOne(List<InetAddress> addresses) {
        return addresses.size() == 1 ? addresses.get(0)
                : addresses.get(ThreadLocalRandom.current().nextInt(addresses.size()));
    }
}
