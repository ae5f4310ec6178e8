package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user variable read before any {@code set} gave it a value reads as empty and logs nginx's
 * warning, unless {@code uninitialized_variable_warn off} says not to.
 */
class UninitializedVariableTest {
    @TempDir
    Path dir;

    private static String config(String warn) {
        return """
                error_log ${DIR}/error.log warn;
                http {
                    access_log off;
                    uninitialized_variable_warn %s;
                    server {
                        listen 127.0.0.1:${PORT};
                        location /set { set $later "x"; return 200 "set"; }
                        location /read { return 200 "[$later]"; }
                    }
                }
                """.formatted(warn);
    }

    private static String get(TestProxy proxy, String path) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET " + path + " HTTP/1.0\r\n\r\n");
            return client.readResponse();
        }
    }

    @Test
    void readingAnUnsetUserVariableWarns() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, config("on"))) {
            assertThat(get(proxy, "/read")).endsWith("\r\n\r\n[]");
        }
        assertThat(Files.readString(dir.resolve("error.log")))
                .contains("[warn]").contains("using uninitialized \"later\" variable");
    }

    @Test
    void theWarningCanBeTurnedOff() throws Exception {
        try (TestProxy proxy = TestProxy.start(dir, config("off"))) {
            assertThat(get(proxy, "/read")).endsWith("\r\n\r\n[]");
        }
        assertThat(Files.readString(dir.resolve("error.log"))).doesNotContain("uninitialized");
    }
}
