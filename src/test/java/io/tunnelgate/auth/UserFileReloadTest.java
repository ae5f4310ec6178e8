package io.tunnelgate.auth;

import static io.tunnelgate.auth.AuthFixtures.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.EchoServer;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running proxy picks up a changed user file without a restart (within about a second of a
 * login after the change), and keeps the users it has when the new file is bad, saying why in the
 * error log once.
 */
class UserFileReloadTest {
    private static final String CONFIG = """
            http {
                access_log off;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    proxy_connect;
                    proxy_connect_allow all;
                    auth_basic "reload";
                    auth_basic_user_file users;
                }
            }
            """;
    private static final Duration WAIT = Duration.ofSeconds(8);

    @TempDir
    Path dir;
    private TestProxy proxy;
    private EchoServer echo;

    @BeforeEach
    void start() {
        TestFiles.write(dir, "users", "alice:{PLAIN}first\n");
        proxy = TestProxy.start(dir, CONFIG);
        echo = new EchoServer();
    }

    @AfterEach
    void stop() {
        proxy.close();
        echo.close();
    }

    @Test
    void aChangedFileIsUsedWithoutRestart() throws Exception {
        assertThat(connect("alice", "first")).isEqualTo(200);
        replace("alice:{PLAIN}second\nbob:$apr1$abcdefgh$M2T3erDstkD7SsE2QQnfH0\n");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> connect("alice", "second") == 200);
        assertThat(connect("alice", "first")).as("the old password is gone").isEqualTo(407);
        assertThat(connect("bob", "s3cret")).isEqualTo(200);
    }

    @Test
    void aBadNewFileKeepsTheOldUsersAndIsReported() throws Exception {
        assertThat(connect("alice", "first")).isEqualTo(200);
        replace("alice:{PLAIN}second\nbob:abJnggxhB/yWI\n");
        Path users = dir.resolve("users");
        String report = "user file \"" + users + "\" not reloaded: unsupported password hash format in " + users
                + ":2; the users read before stay in use";
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            connect("alice", "first");
            proxy.settleLogs("error.log");
            return proxy.lines("error.log").stream().anyMatch(l -> l.contains(report));
        });
        assertThat(proxy.lines("error.log")).filteredOn(l -> l.contains(report)).singleElement().asString()
                .contains("[error]").contains("client: 127.0.0.1");
        assertThat(connect("alice", "first")).isEqualTo(200);
        assertThat(connect("alice", "second")).isEqualTo(407);
    }

    /** Writes the new version beside the file and renames it over, as editors and tools do. */
    private void replace(String text) throws Exception {
        Path fresh = TestFiles.write(dir, "users.new", text);
        Files.move(fresh, dir.resolve("users"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private int connect(String user, String password) throws Exception {
        String target = "127.0.0.1:" + echo.port();
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nProxy-Authorization: "
                    + basic(user, password) + "\r\n\r\n");
            return RawClient.status(client.readHead());
        }
    }
}
