package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.Loopback;
import io.tunnelgate.testsupport.RawClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame every configuration of the module's tests has once nginx's test harness has expanded
 * its {@code %%TEST_GLOBALS%%} and {@code %%TEST_GLOBALS_HTTP%%}: {@code pid}, a debug
 * {@code error_log}, {@code daemon off}, an empty {@code events}, and at http level an access log
 * and the temp paths. Such a config loads and tunnels. (The harness also sets {@code root}, which
 * belongs to static-file serving and is tested with it.)
 */
class ModuleSuiteHarnessTest {
    @TempDir
    Path dir;

    @Test
    void aConfigInTheHarnesssFrameLoadsAndTunnels() throws Exception {
        try (EchoServer echo = new EchoServer();
             SuiteProxy proxy = SuiteProxy.start(dir, """
                     pid ${DIR}/nginx.pid;
                     error_log ${DIR}/error.log debug;

                     daemon         off;

                     events {
                     }

                     http {
                         access_log ${DIR}/access.log;
                         client_body_temp_path ${DIR}/client_body_temp;
                         proxy_temp_path ${DIR}/proxy_temp;

                         #lua_package_path "/path/to/lib/lua/?.lua;;";

                         server {
                             listen       127.0.0.1:${PORT};
                             server_name  localhost;
                             proxy_connect;
                             proxy_connect_allow all;
                         }
                     }
                     """);
             RawClient client = RawClient.connect(proxy.proxy().address())) {
            assertThat(client.requestTunnel(Loopback.hostPort(echo.port()))).isEqualTo(TunnelConfig.ESTABLISHED);
            client.shutdownOutput();
            assertThat(client.awaitEof()).isTrue();
            // the default (combined) format
            assertThat(proxy.lines("access.log")).singleElement().asString().matches(
                    "127\\.0\\.0\\.1 - - \\[.+] \"CONNECT 127\\.0\\.0\\.1:\\d+ HTTP/1\\.1\" 200 "
                            + TunnelConfig.ESTABLISHED.length() + " \"-\" \"-\"");
        }
    }
}
