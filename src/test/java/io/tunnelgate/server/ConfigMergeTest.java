package io.tunnelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelgate.config.ConfigException;
import io.tunnelgate.http.AccessLog;
import io.tunnelgate.http.LevelConf;
import io.tunnelgate.http.ServerConf;
import io.tunnelgate.log.ErrorLog;
import io.tunnelgate.log.LogLevel;
import io.tunnelgate.testsupport.ConfigLoads;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loaded model merges as nginx does: values set at http (or main) level reach servers and
 * locations that set none, a level's own value wins, list directives ({@code access_log},
 * {@code error_log}) are replaced as a whole by a level that sets any, and per-level settings
 * (listen, server_name, proxy_connect) stay where they were given.
 */
class ConfigMergeTest {
    private static final String CONFIG = """
            error_log %1$s/main-error.log warn;
            events {
                worker_connections 64;
            }
            http {
                keepalive_timeout 10s;
                server_tokens off;
                resolver 127.0.0.1:5353 valid=30s ipv6=off;
                access_log %1$s/a.log;
                access_log %1$s/b.log;

                server {
                    listen 127.0.0.1:8080;
                    server_name inherits;
                    proxy_connect;
                    location / {
                        server_tokens on;
                        access_log %1$s/location.log;
                    }
                }
                server {
                    listen 127.0.0.1:8081;
                    server_name overrides;
                    keepalive_timeout 0;
                    client_header_timeout 5s;
                    resolver_timeout 2s;
                    access_log off;
                    error_log %1$s/server-error.log info;
                }
            }
            """;

    @TempDir
    Path dir;

    @RegisterExtension
    final ConfigLoads configs = new ConfigLoads();

    private ProxyConfig load(String text) throws ConfigException {
        return configs.load(text, dir);
    }

    private static ServerConf server(ProxyConfig c, String name) {
        return c.http().servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> accessLogFiles(LevelConf level) {
        return level.accessLogs().stream().map(AccessLog::target).map(t -> Path.of(t.name()).getFileName().toString())
                .toList();
    }

    private static List<String> errorLogs(ErrorLog log) {
        return log.entries().stream()
                .map(e -> Path.of(e.target().name()).getFileName() + " " + e.level().name().toLowerCase()).toList();
    }

    @Test
    void httpLevelValuesReachServersThatSetNone() throws Exception {
        ServerConf s = server(load(CONFIG.formatted(dir)), "inherits");
        assertThat(s.timeouts().keepaliveTimeoutMillis()).isEqualTo(10_000);
        assertThat(s.timeouts().headerTimeoutMillis()).as("nginx's default").isEqualTo(60_000);
        assertThat(s.level().serverTokens()).isFalse();
        assertThat(s.resolver().servers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(s.resolver().valid()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.resolver().ipv6()).isFalse();
        assertThat(s.resolver().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(accessLogFiles(s.level())).containsExactly("a.log", "b.log");
        assertThat(errorLogs(s.level().errorLog())).as("from main level").containsExactly("main-error.log warn");
        assertThat(s.connectHandler()).isNotNull();
    }

    @Test
    void aServersOwnValuesWin() throws Exception {
        ServerConf s = server(load(CONFIG.formatted(dir)), "overrides");
        assertThat(s.timeouts().keepaliveTimeoutMillis()).isZero();
        assertThat(s.timeouts().headerTimeoutMillis()).isEqualTo(5_000);
        assertThat(s.level().accessLogs()).as("access_log off").isEmpty();
        assertThat(errorLogs(s.level().errorLog())).containsExactly("server-error.log info");
        assertThat(s.connectHandler()).as("proxy_connect is per server").isNull();
        // resolver_timeout is its own slot: set here, it applies to the resolver inherited from http
        assertThat(s.resolver().servers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(s.resolver().timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aLocationMergesWithItsServer() throws Exception {
        ServerConf s = server(load(CONFIG.formatted(dir)), "inherits");
        LevelConf location = s.locations().list().get(0).level();
        assertThat(location.serverTokens()).isTrue();
        assertThat(accessLogFiles(location)).containsExactly("location.log");
        assertThat(errorLogs(location.errorLog())).containsExactly("main-error.log warn");
    }

    @Test
    void mainAndEventsSettings() throws Exception {
        ProxyConfig c = load(CONFIG.formatted(dir));
        assertThat(c.process().workerConnections()).isEqualTo(64);
        assertThat(c.process().workers()).as("nginx's default").isEqualTo(1);
        assertThat(c.process().pidFile()).isNull();
        assertThat(c.process().errorLog().entries()).singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(LogLevel.WARN));
        assertThat(load("pid run/tg.pid;\nworker_processes 3;\n").process())
                .satisfies(p -> {
                    assertThat(p.pidFile()).as("relative to the prefix").isEqualTo(dir.resolve("run/tg.pid"));
                    assertThat(p.workers()).isEqualTo(3);
                });
    }

    @Test
    void withoutAnyLogDirectiveErrorsGoToStderr() throws Exception {
        ProxyConfig c = load("http {\n    server {\n        listen 127.0.0.1:8080;\n    }\n}\n");
        assertThat(c.process().errorLog().entries()).singleElement().satisfies(e -> {
            assertThat(e.target().name()).isEqualTo("stderr");
            assertThat(e.level()).isEqualTo(LogLevel.ERROR);
        });
        assertThat(c.http().servers().get(0).level().accessLogs()).singleElement()
                .satisfies(l -> assertThat(l.target().name()).isEqualTo("stdout"));
    }

    @Test
    void theSameSlotTwiceAtOneLevelIsDuplicateButNotAcrossLevels() throws Exception {
        assertThatThrownBy(() -> load("http {\n    keepalive_timeout 1s;\n    keepalive_timeout 2s;\n}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.reason()).isEqualTo("\"keepalive_timeout\" directive is duplicate");
                    assertThat(e.pos().line()).isEqualTo(3);
                });
        assertThatThrownBy(() -> load("http {\n    server {\n        proxy_connect_read_timeout 1s;\n"
                + "        proxy_connect_data_timeout 2s;\n    }\n}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.reason())
                        .isEqualTo("\"proxy_connect_data_timeout\" directive is duplicate"));
        load("http {\n    keepalive_timeout 1s;\n    server {\n        keepalive_timeout 2s;\n        location / {\n"
                + "            keepalive_timeout 3s;\n        }\n    }\n}\n");
    }
}
