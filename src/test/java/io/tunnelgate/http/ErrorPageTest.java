package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code error_page} as nginx applies it to requests that are not CONNECT: an internal redirect
 * that keeps the error's status (or takes {@code =code}, or with {@code =} the redirected
 * request's), GET for the redirected request, external URLs answered with 302 (or {@code =301}),
 * once per request unless {@code recursive_error_pages}, and the limit of 10 URI changes ending in
 * 500. CONNECT keeps the module's pages.
 */
class ErrorPageTest {
    private static final String CONFIG = """
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name pages.test;
                    proxy_connect;
                    error_page 404 /errors/404.html;
                    error_page 403 =200 /errors/ok.txt;
                    location = /denied { return 403; }
                    location /ok/ { error_page 404 =200 /errors/404.html; }
                    location /same/ { error_page 404 = /status/202; }
                    location = /status/202 { return 202 "accepted"; }
                    location /away/ { error_page 404 https://other.test/missing; }
                    location /away301/ { error_page 404 =301 http://other.test/gone; }
                    location /once/ { error_page 404 /once/missing; }
                    location /loop/ { recursive_error_pages on; error_page 404 /loop/missing; }
                    location /fail/ { error_page 500 502 503 504 /errors/50x.html; return 500; }
                    location /q/ { error_page 404 /echo?from=q; }
                    location = /echo { return 200 "$args $request_method"; }
                }
            }
            """;
    private static final String PAGE_404 = "<p>custom 404</p>\n";

    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() {
        TestFiles.write(dir, "html/errors/404.html", PAGE_404);
        TestFiles.write(dir, "html/errors/ok.txt", "fine\n");
        TestFiles.write(dir, "html/errors/50x.html", "<p>down</p>\n");
        proxy = TestProxy.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void staticPageKeepsThe404() throws Exception {
        Logs logs = Logs.mark(proxy);
        Reply reply = request("GET /missing.txt");
        reply.assertMade("HTTP/1.1 404 Not Found", false, true);
        assertThat(reply.body()).isEqualTo(PAGE_404);
        assertThat(reply.header("Content-Type")).isEqualTo("text/html");
        // as nginx: the page keeps its ETag; Last-Modified and Accept-Ranges belong to 200s only
        assertThat(reply.headerNames()).containsExactly("Server", "Date", "Content-Type", "Content-Length",
                "Connection", "ETag");
        assertThat(logs.accessLine()).isEqualTo("\"GET /missing.txt HTTP/1.1\" 404 " + reply.wireLength() + " "
                + PAGE_404.length());
        logs.errorLine("error", "open() \"" + dir + "/html/missing.txt\" failed (2: No such file or directory)");
    }

    @Test
    void equalsCodeChangesTheStatus() throws Exception {
        Reply reply = request("GET /ok/missing");
        reply.assertMade("HTTP/1.1 200 OK", false, true);
        assertThat(reply.body()).isEqualTo(PAGE_404);
        assertThat(reply.header("Last-Modified")).isNotNull();
        Reply denied = request("GET /denied");
        assertThat(denied.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(denied.body()).isEqualTo("fine\n");
    }

    @Test
    void equalsAloneTakesTheStatusOfTheRedirectedRequest() throws Exception {
        Reply reply = request("GET /same/missing");
        reply.assertMade("HTTP/1.1 202 Accepted", false, true);
        assertThat(reply.body()).isEqualTo("accepted");
    }

    @Test
    void redirectedRequestIsGetWithThePageArguments() throws Exception {
        // return with a text answers with the kept status 404, as nginx does
        Reply reply = request("POST /q/missing?a=b");
        assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(reply.body()).isEqualTo("from=q GET");
    }

    @Test
    void headStaysHead() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("HEAD /missing.txt HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            Reply reply = Reply.parse(client.readHead());
            assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(reply.header("Content-Length")).isEqualTo(Integer.toString(PAGE_404.length()));
            client.send("GET /status/202 HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("accepted");
        }
        // both lines are in before the next test marks the log
        assertThat(logs.accessLines(2)).hasSize(2);
    }

    @Test
    void absoluteUrlIsA302() throws Exception {
        Reply reply = request("GET /away/missing");
        reply.assertPage("HTTP/1.1 302 Moved Temporarily", "302 Moved Temporarily", false);
        assertThat(reply.header("Location")).isEqualTo("https://other.test/missing");
        Reply permanent = request("GET /away301/missing");
        permanent.assertPage("HTTP/1.1 301 Moved Permanently", "301 Moved Permanently", false);
        assertThat(permanent.header("Location")).isEqualTo("http://other.test/gone");
    }

    @Test
    void errorPageAppliesOncePerRequest() throws Exception {
        Logs logs = Logs.mark(proxy);
        request("GET /once/x").assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false);
        assertThat(logs.newErrorLines()).hasSize(2).allMatch(l -> l.contains("open() \"" + dir + "/html/once/"));
    }

    @Test
    void recursivePagesStopAfterTenRedirectsWith500() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /loop/x HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertPage("HTTP/1.1 500 Internal Server Error", "500 Internal Server Error", true);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(logs.accessLine()).startsWith("\"GET /loop/x HTTP/1.1\" 500 ");
        List<String> errors = logs.newErrorLines();
        // the first try and ten redirects each failed to open, then the eleventh redirect was refused
        assertThat(errors).hasSize(12);
        assertThat(errors.subList(0, 11)).allMatch(l -> l.contains("[error]") && l.contains("open() \""));
        assertThat(errors.get(11)).contains("[error]", "rewrite or internal redirection cycle while internally "
                + "redirecting to \"/loop/missing\"");
    }

    @Test
    void serverErrorPageIsServedWithTheStatusAndCloses() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /fail/x HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertMade("HTTP/1.1 500 Internal Server Error", true, true);
            assertThat(reply.body()).isEqualTo("<p>down</p>\n");
            assertThat(client.awaitEof()).isTrue();
        }
    }

    @Test
    void connectKeepsTheModulePages() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            Reply.read(client).assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
        }
    }

    /** One request ({@code METHOD target}) on a new connection; its log line is awaited. */
    private static Reply request(String line) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(line + " HTTP/1.1\r\nHost: pages.test\r\n\r\n");
            Reply reply = Reply.read(client);
            logs.accessLine();
            return reply;
        }
    }
}
