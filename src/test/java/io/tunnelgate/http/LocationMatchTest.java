package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx's choice of location on real connections: exact, longest prefix, {@code ^~} suppressing
 * the regexes, regexes in config order (case-sensitive and caseless) with their captures in
 * {@code return} and {@code rewrite}, nested prefix and regex locations, named locations reached
 * by {@code error_page}, and CONNECT never getting a location. Each location answers its own
 * name with {@code return 200}.
 */
class LocationMatchTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name proxy.test;
                    proxy_connect;
                    location = / { return 200 "exact root"; }
                    location / { return 200 "root"; }
                    location /docs/ { return 200 "docs"; }
                    location ^~ /static/ { return 200 "static no-regex"; }
                    location /static/js/ { return 200 "static js"; }
                    location ~ \\.(png|gif)$ { return 200 "image regex"; }
                    location ~* \\.JPG$ { return 200 "jpg caseless"; }
                    location ~ ^/docs/.*\\.png$ { return 200 "docs png, never first"; }
                    location = /docs/exact.png { return 200 "exact beats regex"; }
                    location /api/ {
                        location /api/v1/ { return 200 "api v1"; }
                        location ~ \\.json$ { return 200 "api json"; }
                        location = /api/ping { return 200 "api ping"; }
                        return 200 "api";
                    }
                    location ~ ^/img/(.+)$ { return 200 "img $1"; }
                    location ~ ^/user/(?<who>[a-z]+)/(\\d+)$ { return 200 "user $who $2"; }
                    location ~ /re/ {
                        location ~ /deep/(\\w+) { return 200 "re deep $1"; }
                        location /re/prefix { return 200 "prefix inside a regex, never chosen"; }
                        return 200 "re";
                    }
                    location /longer { return 200 "longer"; }
                    location /long { return 200 "long"; }
                    location ~ ^/old/(\\w+)$ { rewrite ^ /new/$1 last; }
                    location /new/ { return 200 "new $uri"; }
                    location /missing/ {
                        error_page 404 @fallback;
                        return 404;
                    }
                    location /lost/ {
                        error_page 404 @nowhere;
                        return 404;
                    }
                    location /fallback { return 200 "prefix, not the named location"; }
                    location @fallback { return 200 "fallback $request_method $uri $args"; }
                    location ~ ^$ { return 200 "only a CONNECT's empty URI would match"; }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/                    | exact root",
        "/x                   | root",
        "/docs/a.html         | docs",
        // a regex beats the longest prefix; the first regex in config order wins
        "/docs/a.png          | image regex",
        "/docs/exact.png      | exact beats regex",
        // ^~ as the longest prefix skips the regexes; a longer plain prefix inside it does not
        "/static/a.png        | static no-regex",
        "/static/js/a         | static js",
        "/static/js/a.png     | image regex",
        "/static              | root",
        "/a.JPG               | jpg caseless",
        "/a.jpg               | jpg caseless",
        "/a.PNG               | root",
        // nested in a prefix: searched inside it; the outer regexes still come after
        "/api/x               | api",
        "/api/v1/x            | api v1",
        "/api/v1/x.json       | api json",
        "/api/ping            | api ping",
        "/api/x.png           | image regex",
        "/api/v1/x.png        | image regex",
        "/%61pi/v1/x          | api v1",
        // captures, numbered and named, in return
        "/img/cat             | img cat",
        "/user/bob/42         | user bob 42",
        // nested in a regex: regexes only (nginx builds no prefix tree there)
        "/re/deep/abc         | re deep abc",
        "/re/prefix           | re",
        "/re/x                | re",
        "/longer/x            | longer",
        "/longe               | long",
        "/long                | long",
        // the location's capture in a rewrite whose own regex has no groups
        "/old/abc             | new /new/abc",
        "/fallback            | prefix, not the named location",
    })
    void theLocationNginxChoosesAnswers(String uri, String name) throws Exception {
        Reply reply = get("GET", uri);
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(reply.body()).isEqualTo(name);
    }

    @Test
    void errorPageGoesOnInTheNamedLocationWithMethodUriAndArgs() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = get("POST", "/missing/a?x=1");
        // as nginx: the error's status stays (err_status), the body is the named location's
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(reply.body()).isEqualTo("fallback POST /missing/a x=1");
        assertThat(logs.accessLine()).isEqualTo("\"POST /missing/a?x=1 HTTP/1.1\" 404");
    }

    @Test
    void aMissingNamedLocationIs500AndLogged() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = get("GET", "/lost/a");
        reply.assertPage("HTTP/1.1 500 Internal Server Error", "500 Internal Server Error", true);
        assertThat(logs.errorLine("error", "could not find named location \"@nowhere\""))
                .contains("request: \"GET /lost/a HTTP/1.1\"");
    }

    @Test
    void connectSkipsTheLocations() throws Exception {
        // "location ~ ^$" would answer 200 if a CONNECT (whose $uri is empty) got a location
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");
            assertThat(RawClient.status(client.readResponse())).isEqualTo(403);
        }
    }

    /** One request on a new connection; its access-log line is awaited. */
    private static Reply get(String method, String uri) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(method + " " + uri + " HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 0\r\n\r\n");
            Reply reply = Reply.read(client);
            logs.accessLine();
            return reply;
        }
    }
}
