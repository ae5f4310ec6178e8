package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx's {@code rewrite} and {@code break} for requests other than CONNECT: each flag ({@code last}
 * searches the location again, {@code break} stays, {@code redirect}/{@code permanent} answer 302/301
 * with an absolute Location, no flag goes on and searches again at the end), captures in the
 * replacement, how arguments are kept, added to or dropped (a trailing {@code ?}), and the limit of
 * ten URI changes per request, after which nginx answers 500 and logs the cycle.
 */
class RewriteTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status uri=$uri args=$args';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name rw.test;
                    proxy_connect;

                    rewrite ^/srv/(.*)$ /target/from-server-$1;
                    if ($arg_stop) {
                        break;
                    }
                    set $after "server-after-break";

                    location /target/ { return 200 "target uri=$uri args=$args"; }
                    location /last/ {
                        rewrite ^/last/(.*)$ /target/$1 last;
                        return 200 "not reached";
                    }
                    location /brk/ {
                        rewrite ^/brk/(.*)$ /target/$1 break;
                        return 200 "not reached";
                    }
                    location /noflag/ {
                        rewrite ^/noflag/(.*)$ /target/$1;
                        rewrite ^/target/(.*)$ /target/again-$1;
                    }
                    location /redir/ { rewrite ^/redir/(.*)$ /moved/$1 redirect; }
                    location /perm/ { rewrite ^/perm/(.*)$ /moved/$1 permanent; }
                    location /abs/ { rewrite ^ http://other.test/p; }
                    location /redir-args/ { rewrite ^ /moved?b=2 redirect; }
                    location /keep/ { rewrite ^ /target/keep last; }
                    location /add/ { rewrite ^ /target/add?b=2 last; }
                    location /drop/ { rewrite ^ /target/drop? last; }
                    location /replace/ { rewrite ^ /target/replace?b=2? last; }
                    location /nomatch/ {
                        rewrite ^/elsewhere /target/x last;
                        return 200 "kept uri=$uri";
                    }
                    location /after/ { return 200 "after=$after"; }
                    location /loop { rewrite ^ /loop last; }
            %s
                }
            }
            """;

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        // /c0 -> /c1 -> ... -> /c11: from /c1 that is ten URI changes, from /c0 eleven
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i <= 10; i++) {
            chain.append("        location = /c").append(i).append(" { rewrite ^ /c").append(i + 1)
                    .append(" last; }\n");
        }
        chain.append("        location = /c11 { return 200 \"end of chain\"; }\n");
        proxy = TestProxy.start(dir, CONFIG.formatted(chain));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/last/x?a=1           | target uri=/target/x args=a=1",
        "/noflag/x             | target uri=/target/again-x args=",
        "/srv/x                | target uri=/target/from-server-x args=",
        "/keep/?a=1            | target uri=/target/keep args=a=1",
        "/add/?a=1             | target uri=/target/add args=b=2&a=1",
        "/add/                 | target uri=/target/add args=b=2",
        "/drop/?a=1            | target uri=/target/drop args=",
        "/replace/?a=1         | target uri=/target/replace args=b=2",
        "/nomatch/y            | kept uri=/nomatch/y",
        "/c1                   | end of chain",
    })
    void rewritesChangeTheUriAndArguments(String uri, String body) throws Exception {
        Reply reply = get(uri);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(body);
    }

    @Test
    void breakStaysInTheLocationWithTheNewUri() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = getQuietly("/brk/x?a=1");
        // the location has no content handler of its own: had /target/ been searched, its return would answer
        assertThat(reply.status()).isEqualTo(404);
        assertThat(logs.accessLine()).isEqualTo("\"GET /brk/x?a=1 HTTP/1.1\" 404 uri=/target/x args=a=1");
    }

    @Test
    void breakStopsOnlyTheServersDirectivesNotTheLocations() throws Exception {
        assertThat(get("/after/").body()).isEqualTo("after=server-after-break");
        Logs logs = Logs.mark(proxy);
        Reply stopped = getQuietly("/after/?stop=1");
        assertThat(stopped.body()).isEqualTo("after=");
        logs.accessLine();
        assertThat(logs.newErrorLines()).anyMatch(l -> l.contains("[warn]")
                && l.contains("using uninitialized \"after\" variable"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/redir/x      | 302 | /moved/x",
        "/redir/x?a=1  | 302 | /moved/x?a=1",
        "/perm/x       | 301 | /moved/x",
        "/redir-args/?a=1 | 302 | /moved?b=2&a=1",
    })
    void redirectFlagsAnswerWithAnAbsoluteLocation(String uri, int status, String path) throws Exception {
        Reply reply = get(uri);
        assertThat(reply.status()).isEqualTo(status);
        // nginx's header filter makes a relative Location absolute with the Host and the port
        assertThat(reply.header("Location")).isEqualTo("http://rw.test:" + proxy.port() + path);
    }

    @Test
    void anAbsoluteReplacementRedirectsWithoutAFlag() throws Exception {
        Reply reply = get("/abs/?a=1");
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 302 Moved Temporarily");
        assertThat(reply.header("Location")).isEqualTo("http://other.test/p?a=1");
    }

    @Test
    void elevenUriChangesAre500WithTheCycleLogged() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = getQuietly("/c0");
        reply.assertPage("HTTP/1.1 500 Internal Server Error", "500 Internal Server Error", true);
        assertThat(logs.accessLine()).isEqualTo("\"GET /c0 HTTP/1.1\" 500 uri=/c11 args=");
        assertThat(logs.errorLine("error", "rewrite or internal redirection cycle while processing \"/c11\""))
                .contains("request: \"GET /c0 HTTP/1.1\"");
    }

    @Test
    void aRewriteToItselfIsACycle() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(getQuietly("/loop").status()).isEqualTo(500);
        logs.accessLine();
        logs.errorLine("error", "rewrite or internal redirection cycle while processing \"/loop\"");
    }

    private static Reply get(String uri) throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = getQuietly(uri);
        logs.accessLine();
        return reply;
    }

    /** A GET whose log lines the caller reads itself. */
    private static Reply getQuietly(String uri) throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET " + uri + " HTTP/1.1\r\nHost: rw.test\r\n\r\n");
            return Reply.read(client);
        }
    }
}
