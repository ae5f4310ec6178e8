package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.server.ProxyConfig;
import io.tunnelgate.testsupport.ConfigLoads;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code location} directive's load errors in nginx 1.26's words, each with the file and
 * line of the offending location, and the nestings nginx accepts.
 */
class LocationConfigTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();

    /** Loads a server whose body's lines ({@code \n} written as {@code /n/}) start at line 4. */
    private ProxyConfig load(String serverBody) throws ConfigException {
        return configs.load(ConfigLoads.server(serverBody.replace("/n/", "\n")), dir);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "location /a { /n/ location /b { } }               | 5 | location \"/b\" is outside location \"/a\"",
        "location /x { location /x/y { /n/ location /x/z { } } } | 5 | location \"/x/z\" is outside location \"/x/y\"",
        "location ~ ^/a { /n/ location /b { } }            | 5 | location \"/b\" is outside location \"^/a\"",
        "location = /x { /n/ location /x/y { } }           | 5 | location \"/x/y\" cannot be inside the exact location \"/x\"",
        "location = /x { /n/ location ~ y { } }            | 5 | location \"y\" cannot be inside the exact location \"/x\"",
        "location @n { /n/ location /y { } }               | 5 | location \"/y\" cannot be inside the named location \"@n\"",
        "location /x { /n/ location @n { } }               | 5 | named location \"@n\" can be on the server level only",
        "location ~ x { /n/ location @n { } }              | 5 | named location \"@n\" can be on the server level only",
        "location /a { } /n/ location /a { }               | 5 | duplicate location \"/a\"",
        "location = /a { } /n/ location =/a { }            | 5 | duplicate location \"/a\"",
        "location ^~ /a { } /n/ location /a { }            | 5 | duplicate location \"/a\"",
        "location /a { /n/ location /a/b { } /n/ location /a/b { } } | 6 | duplicate location \"/a/b\"",
        "location ?? /a { }                                | 4 | invalid location modifier \"??\"",
        "location ~ \"(\" { }                              | 4 | invalid regex \"(\"",
        "location /a /b /c { }                             | 4 | invalid number of arguments in \"location\" directive",
        "if ($uri) { /n/ location /a { } }                 | 5 | \"location\" directive is not allowed here",
        "location /a;                                      | 4 | directive \"location\" has no opening \"{\"",
    })
    void refusedWithNginxsMessageAtTheLine(String body, int line, String message) {
        assertThatThrownBy(() -> load(body)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageEndingWith(" in " + dir.resolve("t.conf") + ":" + line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // an exact and a prefix location may share a name
        "location = /a { } location /a { }",
        "location /a { location = /a { } location /a/b { } location ~ x { } }",
        "location ~ ^/a { location ~ b { location ~ c { } } }",
        // nginx compares a nested prefix with a regex parent's text, and keeps nothing of it
        "location ~ /a { location /a/b { } location /a/b { } }",
        "location ^~/a { } location =/b { } location ~*\\.png$ { } location ~\\.gif$ { }",
        "location @a { } location @b { }",
    })
    void accepted(String body) throws Exception {
        assertThat(load(body).http()).isNotNull();
    }
}
