package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How nginx's static and index modules map URIs to files (spec §1.1, §8.13), on a
 * {@code proxy_connect} server: the default root ({@code html} in the prefix), {@code index},
 * {@code alias}, {@code root} and {@code index} with variables, directory redirects, 403/404 with
 * nginx's error lines, {@code log_not_found}, and the Content-Type from {@code types} (an included
 * {@code mime.types}), {@code default_type} and the built-in map.
 */
class StaticPathsTest {
    @TempDir
    static Path dir;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = StaticSite.start(dir, "epoll");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void serverWithNoLocationServesIndexFromTheDefaultRoot() throws Exception {
        Reply reply = get("/", "bare.test", "");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/html");
        assertThat(reply.body()).isEqualTo("<p>home</p>\n");
    }

    @Test
    void indexTriesNamesInOrder() throws Exception {
        assertThat(get("/idx/", "static.test", "").body()).isEqualTo("second\n");
    }

    @Test
    void indexAndRootMayHaveVariables() throws Exception {
        assertThat(get("/vidx/?i=two", "static.test", "").body()).isEqualTo("two\n");
        // a relative root with variables is taken from the prefix when evaluated
        assertThat(get("/vroot/f.txt?r=vr", "static.test", "").body()).isEqualTo("from vr\n");
    }

    @Test
    void directoryWithoutSlashIsRedirectedWithItsArguments() throws Exception {
        Reply reply = get("/dir?x=1", "static.test", "");
        reply.assertPage("HTTP/1.1 301 Moved Permanently", "301 Moved Permanently", false);
        assertThat(reply.header("Location")).isEqualTo("http://static.test:" + proxy.port() + "/dir/?x=1");
    }

    @Test
    void escapedUtf8UriFindsTheFile() throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names are not UTF-8 in this locale");
        TestFiles.write(dir, "html/caf\u00e9.txt", "utf-8 name\n");
        assertThat(get("/caf%C3%A9.txt", "static.test", "").body()).isEqualTo("utf-8 name\n");
    }

    @Test
    void directoryRedirectIsEscaped() throws Exception {
        Reply reply = get("/a%20b", "static.test", "");
        assertThat(reply.header("Location")).isEqualTo("http://static.test:" + proxy.port() + "/a%20b/");
        assertThat(get("/a%20b/", "static.test", "").body()).isEqualTo("spaced\n");
    }

    @Test
    void directoryWithoutIndexIsForbidden() throws Exception {
        Logs logs = Logs.mark(proxy);
        get("/noindex/", "static.test", "").assertPage("HTTP/1.1 403 Forbidden", "403 Forbidden", false);
        logs.errorLine("error", "directory index of \"" + dir + "/html/noindex/\" is forbidden");
    }

    @Test
    void missingFileIs404WithNginxErrorLine() throws Exception {
        Logs logs = Logs.mark(proxy);
        get("/missing.txt", "static.test", "").assertPage("HTTP/1.1 404 Not Found", "404 Not Found", false);
        logs.errorLine("error", "open() \"" + dir + "/html/missing.txt\" failed (2: No such file or directory)");
    }

    @Test
    void missingDirectoryNamesTheIndexFile() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(get("/nodir/", "static.test", "").status()).isEqualTo(404);
        logs.errorLine("error", "\"" + dir + "/html/nodir/index.html\" is not found (2: No such file or directory)");
    }

    @Test
    void logNotFoundOffKeepsTheErrorLogQuiet() throws Exception {
        Logs logs = Logs.mark(proxy);
        assertThat(get("/quiet/missing", "static.test", "").status()).isEqualTo(404);
        assertThat(logs.newErrorLines()).isEmpty();
    }

    @Test
    void aliasReplacesTheLocationPrefix() throws Exception {
        assertThat(get("/alias/f.txt", "static.test", "").body()).isEqualTo("aliased\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/typed/a.tst, text/x-test",
        // a types block replaces the built-in map: css is unknown there
        "/typed/a.css, text/plain",
        "/plain/a.unknown, application/x-default",
        "/style.css, text/css",
        "/a.txt, text/plain",
    })
    void contentTypeComesFromTypesAndDefaultType(String uri, String type) throws Exception {
        assertThat(get(uri, "static.test", "").header("Content-Type")).isEqualTo(type);
    }

    private static Reply get(String uri, String host, String headers) throws Exception {
        return StaticSite.request(proxy, "GET", uri, host, headers);
    }
}
