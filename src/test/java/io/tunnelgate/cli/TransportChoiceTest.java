package io.tunnelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code events { use ...; }} as an operator sees it: the start-up line names the transport that runs
 * ({@code io_uring} when asked for), and a native transport that cannot load here stops {@code tunnelgate -t}
 * with a config error at the {@code use} line that gives the native library's reason. The library is made
 * unavailable for real, with Netty's own switch {@code -Dio.netty.transport.noNative=true} in a child JVM.
 */
class TransportChoiceTest {
    private static final String NO_NATIVE = "-Dio.netty.transport.noNative=true";

    @TempDir
    Path dir;

    @Test
    void theStartUpLineNamesIoUring() throws Exception {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
        int port = Loopback.closedPort();
        Path config = TestFiles.config(dir, """
                events {
                    use io_uring;
                }
                http {
                    access_log off;
                    server { listen 127.0.0.1:%d; return 200; }
                }
                """.formatted(port));
        try (ChildProxy child = ChildProxy.start(dir, "-c", config.toString())) {
            Matcher started = child.awaitStarted();
            assertThat(started.group(1)).isEqualTo("127.0.0.1:" + port);
            assertThat(started.group(2)).isEqualTo("io_uring");
            child.process().destroy();
            assertThat(child.awaitExit()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll"})
    void aNativeTransportThatCannotLoadIsAConfigErrorWithTheReason(String transport) throws Exception {
        Path config = TestFiles.config(dir, "events {\n    use " + transport + ";\n}\n"
                + "http {\n    server { listen 127.0.0.1:3128; return 200; }\n}\n");
        try (ChildProxy child = ChildProxy.start(dir, List.of(NO_NATIVE), "-t", "-c", config.toString())) {
            assertThat(child.awaitExit()).isEqualTo(1);
            assertThat(child.stderr().lines()).containsExactly(
                    "tunnelgate: [emerg] event type \"" + transport + "\" is not available here (Native transport "
                            + "was explicit disabled with " + NO_NATIVE + ") in " + config + ":2",
                    "tunnelgate: configuration file " + config + " test failed");
        }
    }

    @Test
    void withoutANativeTransportTheDefaultIsNio() throws Exception {
        int port = Loopback.closedPort();
        Path config = TestFiles.config(dir, "http {\n    access_log off;\n    server { listen 127.0.0.1:" + port
                + "; return 200; }\n}\n");
        try (ChildProxy child = ChildProxy.start(dir, List.of(NO_NATIVE), "-c", config.toString())) {
            assertThat(child.awaitStarted().group(2)).isEqualTo("nio");
            child.process().destroy();
            assertThat(child.awaitExit()).isZero();
        }
    }
}
