package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.http.ProxyError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx's {@code (errno: strerror)} from the exceptions each transport raises for a failed connect: the messages
 * of Netty's native {@code ConnectException}s (epoll's {@code connect}/{@code finishConnect}, io_uring's
 * {@code io_uring connect}, with or without the peer Netty appends) give their errno, the JDK's (NIO) give theirs
 * by their words; and the errno decides the {@code Proxy-Status} error type.
 */
class ConnectErrorsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "io_uring connect(..) failed with error(-111): Connection refused | 111: Connection refused",
        "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:9 | 111: Connection refused",
        "io_uring connect(..) failed with error(-110): Connection timed out | 110: Connection timed out",
        "connect(..) failed with error(-104): Connection reset by peer: /127.0.0.1:9 | 104: Connection reset by peer",
        "io_uring connect(..) failed with error(-13): Permission denied | 13: Permission denied",
        "io_uring connect(..) failed with error(-71): Protocol error | 71: Protocol error",
        "Connection refused | 111: Connection refused",
        "Connection refused: /127.0.0.1:9 | 111: Connection refused"})
    void aConnectExceptionGivesItsErrno(String message, String expected) {
        assertThat(ConnectErrors.describe(new ConnectException(message))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "io_uring connect(..) failed with error(-111): Connection refused | CONNECTION_REFUSED",
        "io_uring connect(..) failed with error(-110): Connection timed out | CONNECTION_TIMEOUT",
        "finishConnect(..) failed with error(-104): Connection reset by peer | CONNECTION_TERMINATED",
        "io_uring connect(..) failed with error(-13): Permission denied | PROXY_INTERNAL_ERROR"})
    void theErrnoDecidesTheProxyStatus(String message, ProxyError expected) {
        assertThat(ConnectErrors.proxyError(new ConnectException(message))).isEqualTo(expected);
    }

    @Test
    void noRouteIsOneErrnoOnEveryTransport() {
        // Netty raises it without a message for both EHOSTUNREACH and ENETUNREACH, on epoll and io_uring alike
        assertThat(ConnectErrors.describe(new NoRouteToHostException())).isEqualTo("113: No route to host");
        assertThat(ConnectErrors.proxyError(new NoRouteToHostException())).isEqualTo(ProxyError.DESTINATION_IP_UNROUTABLE);
    }
}
