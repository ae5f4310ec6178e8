package io.tunnelgate.resolve;

import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting on lookups in tests. */
final class Lookups {

    private Lookups() {
    }

    /** The address a lookup produced; fails the test if it failed or took over 5 s. */
    static InetAddress address(Future<InetAddress> lookup) {
        assertThat(lookup.awaitUninterruptibly(5, TimeUnit.SECONDS)).as("lookup finished").isTrue();
        assertThat(lookup.cause()).as("lookup failure").isNull();
        return lookup.getNow();
    }

    /** The error a lookup failed with; fails the test if it succeeded or took over 5 s. */
    static ResolveException failure(Future<InetAddress> lookup) {
        assertThat(lookup.awaitUninterruptibly(5, TimeUnit.SECONDS)).as("lookup finished").isTrue();
        assertThat(lookup.cause()).as("lookup failure").isInstanceOf(ResolveException.class);
        return (ResolveException) lookup.cause();
    }
}
