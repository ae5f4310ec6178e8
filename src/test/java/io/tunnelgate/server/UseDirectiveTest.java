package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.config.Arg;
import io.tunnelgate.config.ConfigException;
import io.tunnelgate.config.ConfigNode;
import io.tunnelgate.config.SourcePos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code use}: every transport by its name, and the wording of the error for a known one that cannot run here
 * (the native library's reason, and the innermost cause where the reason wraps one, at the {@code use} line).
 * The child-JVM test in {@code cli.TransportChoiceTest} makes a transport unavailable for real.
 */
class UseDirectiveTest {
    private static final ConfigNode USE_IO_URING = new ConfigNode("use", List.of(new Arg("io_uring", false)),
            new SourcePos(Path.of("/etc/tunnelgate/tunnelgate.conf"), 7), null);

    @Test
    void everyTransportIsNamedByItsLabel() {
        assertThat(Transport.named("epoll")).isEqualTo(Transport.EPOLL);
        assertThat(Transport.named("io_uring")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.named("nio")).isEqualTo(Transport.NIO);
        assertThat(Transport.named("kqueue")).isNull();
        assertThat(Transport.named("IO_URING")).as("nginx's names are lower case").isNull();
    }

    @Test
    void theDefaultIsEpollWhereItLoadsNeverIoUring() {
        assertThat(Transport.preferred()).isEqualTo(Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO);
        assertThat(Transport.NIO.unavailabilityCause()).isNull();
    }

    @Test
    void anUnavailableTransportGivesItsReasonAtTheUseLine() {
        ConfigException e = CoreDirectives.unavailable(USE_IO_URING,
                new UnsupportedOperationException("io_uring_setup() failed: Operation not permitted"));
        assertThat(e.getMessage()).isEqualTo("event type \"io_uring\" is not available here "
                + "(io_uring_setup() failed: Operation not permitted) in /etc/tunnelgate/tunnelgate.conf:7");
    }

    @Test
    void aWrappedReasonAlsoGivesTheInnermostCause() {
        Throwable cause = new IllegalStateException("failed to load the required native library",
                new UnsatisfiedLinkError("no netty_transport_native_io_uring42_x86_64 in java.library.path"));
        assertThat(CoreDirectives.unavailable(USE_IO_URING, cause).getMessage()).isEqualTo("event type \"io_uring\""
                + " is not available here (failed to load the required native library: no "
                + "netty_transport_native_io_uring42_x86_64 in java.library.path) in /etc/tunnelgate/tunnelgate.conf:7");
        assertThat(CoreDirectives.unavailable(USE_IO_URING, new IllegalStateException()).getMessage())
                .as("no message: the exception's name").startsWith("event type \"io_uring\" is not available here "
                        + "(IllegalStateException) in ");
    }
}
