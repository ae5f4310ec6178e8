package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.http.ServerConf;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.testsupport.ConfigLoads;
import io.tunnelgate.testsupport.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading auth_basic, auth_basic_user_file and satisfy: a bad user file fails the load naming its
 * own file and line, an unreadable one names the directive's line, the path is relative to the
 * main config file's folder, and the settings merge as nginx's.
 */
class AuthConfigTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();
    private Path confDir;

    @BeforeEach
    void confDir() {
        confDir = dir.resolve("conf");
    }

    /** Loads a config kept in {@code dir/conf/t.conf}, with {@code dir} as the prefix. */
    private ProxyConfig load(String serverBody) throws ConfigException {
        Path file = TestFiles.write(confDir, "t.conf", ConfigLoads.server(serverBody));
        return configs.load(file, dir);
    }

    @Test
    void theUserFileIsRelativeToTheConfigFilesFolder() throws Exception {
        TestFiles.write(confDir, "users", AuthFixtures.USERS);
        ServerConf server = load("auth_basic \"x\";\nauth_basic_user_file users;").http().servers().get(0);
        assertThat(server.access().auth()).isNotNull();
    }

    @Test
    void anUnknownHashFormatNamesTheUserFileAndLine() {
        Path users = TestFiles.write(confDir, "users", "# users\nalice:{PLAIN}x\nbob:abJnggxhB/yWI\n");
        assertThatThrownBy(() -> load("auth_basic \"x\";\nauth_basic_user_file users;"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unsupported password hash format in " + users + ":3");
    }

    @Test
    void anUnreadableFileNamesTheDirective() {
        assertThatThrownBy(() -> load("auth_basic \"x\";\nauth_basic_user_file missing;"))
                .hasMessage("open() \"" + confDir.resolve("missing") + "\" failed (2: No such file or directory) in "
                        + confDir.resolve("t.conf") + ":5");
    }

    @Test
    void variablesInTheUserFilePathAreRefused() {
        assertThatThrownBy(() -> load("auth_basic_user_file /etc/$host.users;"))
                .hasMessage("variables in \"auth_basic_user_file\" are not supported in " + confDir.resolve("t.conf") + ":4");
    }

    @Test
    void duplicatesAndBadValuesAreRefusedInNginxsWords() {
        TestFiles.write(confDir, "users", AuthFixtures.USERS);
        assertThatThrownBy(() -> load("auth_basic a;\nauth_basic b;"))
                .hasMessageStartingWith("\"auth_basic\" directive is duplicate in ");
        assertThatThrownBy(() -> load("satisfy some;"))
                .hasMessageStartingWith("invalid value \"some\" in ");
        assertThatThrownBy(() -> load("satisfy all;\nsatisfy any;"))
                .hasMessageStartingWith("\"satisfy\" directive is duplicate in ");
    }

    @Test
    void settingsAreInheritedAndOffStopsThem() throws Exception {
        TestFiles.write(confDir, "users", AuthFixtures.USERS);
        ServerConf server = load("""
                auth_basic "outer";
                auth_basic_user_file users;
                satisfy any;
                location /inherits { }
                location /off { auth_basic off; }
                location /all { satisfy all; }
                """).http().servers().get(0);
        assertThat(server.access().satisfyAny()).isTrue();
        assertThat(server.locations().list()).satisfiesExactly(
                l -> assertThat(l.access().auth()).isNotNull(),
                l -> assertThat(l.access().auth()).isNull(),
                l -> assertThat(l.access().satisfyAny()).isFalse());
    }

    @Test
    void aRealmWithoutUserFileLoadsWithAWarningAndChecksNothing() throws Exception {
        ProxyConfig config = load("auth_basic \"x\";");
        assertThat(config.http().servers().get(0).access().auth()).isNull();
        assertThat(config.warnings()).containsExactly("\"auth_basic\" without \"auth_basic_user_file\" does nothing in "
                + confDir.resolve("t.conf") + ":4");
    }
}
