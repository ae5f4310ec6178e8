package io.tunnelgate.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.HttpOrigin;
import io.tunnelgate.testsupport.OriginResponse;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardSmokeTest {
    private static final String CONFIG = """
            http {
                access_log ${DIR}/access.log;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect;
                    location / {
                        proxy_pass http://$host;
                        proxy_set_header Host $host;
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static HttpOrigin origin;

    @BeforeAll
    static void start() {
        proxy = TestProxy.start(dir, CONFIG);
        origin = new HttpOrigin(r -> OriginResponse.ok("hello " + r.target()));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
    }

    @Test
    void rawGet() throws Exception {
        try (RawClient c = RawClient.connect(proxy.address())) {
            c.send("GET http://127.0.0.1:" + origin.port() + "/a?b HTTP/1.1\r\nHost: x\r\n\r\n");
            String r = c.readResponse();
            System.out.println(r);
            assertThat(r).startsWith("HTTP/1.1 200 OK").endsWith("hello /a?b");
            c.send("GET http://127.0.0.1:" + origin.port() + "/c HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse()).endsWith("hello /c");
        }
        System.out.println(origin.requests());
        assertThat(origin.accepted()).isEqualTo(1);
    }

    @Test
    void curl() {
        Curl.Result r = Curl.run("-sS", "-x", "http://127.0.0.1:" + proxy.port(), "http://127.0.0.1:" + origin.port() + "/z");
        assertThat(r.stdout()).isEqualTo("hello /z");
    }
}
