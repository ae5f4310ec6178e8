package io.tunnelgate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.EchoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module's {@code t/http_proxy_connect.t}, second and third configurations: server-level
 * {@code return} (plain, and inside {@code if}) answers a CONNECT in the rewrite phase, before the
 * module's handler would connect anywhere, with {@code $uri}, {@code $request_uri} and {@code $args}
 * empty; and a {@code proxy_connect} server without locations answers a GET for a missing file 404.
 */
class ModuleSuiteRewriteTest {
    @TempDir
    Path dir;

    @Test
    void serverLevelReturnSkipsTheTunnel() throws Exception {
        // the address would be dialled if the handler ran: an echo server counts that it never is
        try (EchoServer backend = new EchoServer();
             SuiteProxy proxy = SuiteProxy.start(dir, """
                     error_log ${DIR}/error.log info;
                     events { }
                     http {
                         access_log off;
                         server {
                             listen 127.0.0.1:${PORT};
                             server_name localhost;
                             proxy_connect;
                             proxy_connect_allow all;
                             proxy_connect_address 127.0.0.01:%d;

                             if ($host = "if-return-skip.com") {
                                 return 200 "if-return\\n";
                             }

                             return 200 "skip proxy connect: $host,$uri,$request_uri,$args\\n";
                         }
                     }
                     """.formatted(backend.port()))) {
            String skipped = proxy.connect("address.com", 8081, "/");
            assertThat(skipped).startsWith("HTTP/1.1 200 OK\r\n")
                    .endsWith("\r\n\r\nskip proxy connect: address.com,,,\n");

            assertThat(proxy.connect("if-return-skip.com", 8081, "/"))
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nif-return\n");
            assertThat(backend.accepted()).isZero();
        }
    }

    @Test
    void aConnectServerWithoutLocationsAnswers404ForAMissingFile() throws Exception {
        // The module's test also fetches an existing file from the default root: static files are
        // another branch's subject (issue 4) and are left out here.
        try (SuiteProxy proxy = SuiteProxy.start(dir, """
                events { }
                http {
                    access_log off;
                    server {
                        listen 127.0.0.1:${PORT};
                        proxy_connect;
                        proxy_connect_allow all;
                    }
                }
                """)) {
            assertThat(proxy.get("/404")).contains(" 404 Not Found");
        }
    }
}
