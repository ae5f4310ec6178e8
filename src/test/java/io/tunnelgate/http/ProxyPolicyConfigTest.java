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

/** Load errors of the destination policy and proxy_status directives, with the file and line. */
class ProxyPolicyConfigTest {
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
        "destination_deny localnet;                  | 4 | invalid parameter \"localnet\"",
        "destination_allow 10.0.0.0/33;              | 4 | invalid parameter \"10.0.0.0/33\"",
        "destination_deny example.com;               | 4 | invalid parameter \"example.com\"",
        "destination_allow 10.0.0.1 10.0.0.2;        | 4 | invalid number of arguments in \"destination_allow\" directive",
        "/n/ destination_host_deny *.;               | 5 | invalid parameter \"*.\"",
        "destination_host_deny a*b.test;             | 4 | invalid parameter \"a*b.test\"",
        "destination_host_deny ~;                    | 4 | invalid parameter \"~\"",
        "destination_host_allow ~(;                | 4 | invalid regex \"(\"",
        "destination_host_allow $nosuch;             | 4 | unknown \"nosuch\" variable",
        "proxy_status maybe;                         | 4 | invalid value \"maybe\" in \"proxy_status\" directive",
        "proxy_status on; /n/ proxy_status off;      | 5 | \"proxy_status\" directive is duplicate",
    })
    void refusedWithNginxsMessageAtTheLine(String body, int line, String message) {
        assertThatThrownBy(() -> load(body)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageEndingWith(" in " + dir.resolve("t.conf") + ":" + line);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "destination_allow 10.0.0.0/8; destination_deny private; destination_deny ::ffff:0:0/96; destination_allow all;",
        "destination_deny link-local; destination_deny multicast; destination_deny unspecified; destination_deny loopback;",
        "destination_host_allow example.com .example.org *.example.net ~*^api\\. [::1] 127.0.0.1; destination_host_deny all;",
        "location / { destination_deny loopback; destination_host_deny all; proxy_status off; }",
    })
    void accepted(String body) throws Exception {
        assertThat(load(body).http()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"destination_deny 10.0.0.1/8; | 4"})
    void lowBitsOnlyWarn(String body, int line) throws Exception {
        assertThat(load(body).warnings()).contains("low address bits of 10.0.0.1/8 are meaningless in "
                + dir.resolve("t.conf") + ":" + line);
    }
}
