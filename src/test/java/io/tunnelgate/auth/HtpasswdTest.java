package io.tunnelgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The htpasswd reader: nginx's line rules, and errors that name the file and line. */
class HtpasswdTest {
    private static final Path FILE = Path.of("/x/users");

    @Test
    void readsUsersSkippingCommentsAndBlankLines() throws Exception {
        Map<String, PasswordHash> users = parse("""
                # managed by hand
                alice:{PLAIN}one

                \t
                bob:{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=:Bob Smith, room 4
                carol:{PLAIN}three\r
                alice:{PLAIN}second alice is ignored
                """);
        assertThat(users).containsOnlyKeys("alice", "bob", "carol");
        assertThat(users.get("alice").matches(bytes("one"))).isTrue();
        assertThat(users.get("alice").matches(bytes("second alice is ignored"))).isFalse();
        assertThat(users.get("bob").matches(bytes("s3cret"))).as("the password ends at the next colon").isTrue();
        assertThat(users.get("carol").matches(bytes("three"))).as("CRLF line ends").isTrue();
    }

    @Test
    void aFileWithoutFinalNewlineAndNamesWithSpaces() throws Exception {
        Map<String, PasswordHash> users = parse(" dave :{PLAIN}four");
        assertThat(users).containsOnlyKeys(" dave ");
    }

    @Test
    void unknownFormatNamesFileAndLine() {
        assertThatThrownBy(() -> parse("alice:{PLAIN}one\n# ok\nbob:abJnggxhB/yWI\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unsupported password hash format in /x/users:3");
    }

    @Test
    void malformedLinesNameFileAndLine() {
        assertThatThrownBy(() -> parse("alice:{PLAIN}one\njust-a-name\n"))
                .hasMessage("invalid line, no \":\" after the user name in /x/users:2");
        assertThatThrownBy(() -> parse(":{PLAIN}one\n"))
                .hasMessage("invalid line, empty user name in /x/users:1");
        assertThatThrownBy(() -> parse("\n\nalice:$apr1$abcdefgh$short\n"))
                .hasMessage("malformed $apr1$ password hash in /x/users:3");
    }

    private static Map<String, PasswordHash> parse(String text) throws ConfigException {
        return Htpasswd.parse(FILE, bytes(text));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
