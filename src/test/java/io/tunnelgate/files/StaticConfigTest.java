package io.tunnelgate.files;

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

/** Config errors of root, alias, index, types, default_type and error_page, in nginx's words. */
class StaticConfigTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();

    private ProxyConfig load(String serverBody) throws ConfigException {
        return configs.load(ConfigLoads.server(serverBody), dir);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "root /a; root /b;                         | \"root\" directive is duplicate in ",
        "location /x { alias /a; alias /b; }       | \"alias\" directive is duplicate in ",
        "location /x { root /a; alias /b; }        | \"alias\" directive is duplicate, \"root\" directive was specified earlier",
        "location /x { alias /a; root /b; }        | \"root\" directive is duplicate, \"alias\" directive was specified earlier",
        "alias /a;                                 | \"alias\" directive is not allowed here",
        "root $document_root/x;                    | the $document_root variable cannot be used in the \"root\" directive",
        "root /srv/$nope;                          | unknown \"nope\" variable",
        "index a \"\" b;                           | index \"a\" in \"index\" directive is invalid",
        "default_type a/b; default_type c/d;       | \"default_type\" directive is duplicate",
        "types { text/x a; } types { text/y b { } }| unexpected \"{\"",
        "error_page 404;                           | invalid number of arguments in \"error_page\" directive",
        "error_page =200 /x;                       | invalid value \"=200\"",
        "error_page 404 =2x /x;                    | invalid value \"=2x\"",
        "error_page 200 /x;                        | value \"200\" must be between 300 and 599",
        "error_page 499 /x;                        | invalid value \"499\"",
        "error_page 40x /x;                        | invalid value \"40x\"",
        "location @x { alias /a; }                 | the \"alias\" directive cannot be used inside the named location",
        "recursive_error_pages yes;                | invalid value \"yes\" in \"recursive_error_pages\" directive",
        "log_not_found 1;                          | invalid value \"1\" in \"log_not_found\" directive",
    })
    void refusedWithNginxMessages(String body, String message) {
        assertThatThrownBy(() -> load(body)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "types { text/x a; text/y A; }",
        "index /abs.html last.html;",
    })
    void acceptedWithAWarning(String body) throws ConfigException {
        assertThat(load(body).warnings()).hasSize(1);
    }
}
