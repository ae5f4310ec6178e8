package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelgate.testsupport.Curl;
import io.tunnelgate.testsupport.Payload;
import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.Received;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain requests that reach no proxying location on a {@code proxy_connect} server are served as
 * nginx's static and index modules serve them (spec §1.1, §8.13): files under the default root
 * ({@code html} in the prefix) with nginx's headers and a zero-copy body on both transports,
 * {@code alias}, {@code index}, directory redirects, 403/404 with nginx's error lines,
 * {@code types} from an included {@code mime.types}, {@code default_type}, HEAD, 304 and ranges.
 */
class StaticFilesTest {
    private static final String CONFIG = """
            events { use %s; }
            http {
                log_format t '"$request" $status $bytes_sent $body_bytes_sent';
                access_log ${DIR}/access.log t;
                error_log ${DIR}/error.log info;
                server {
                    listen 127.0.0.1:${PORT};
                    server_name static.test;
                    proxy_connect;
                    location /alias/ { alias ${DIR}/aliased/; }
                    location /idx/ { index first.html second.html; }
                    location /typed/ { include mime.types; }
                    location /plain/ { default_type application/x-default; }
                    location /quiet/ { log_not_found off; }
                    location /vidx/ { index $arg_i.html; }
                    location /vroot/ { root $arg_r; }
                }
                server {
                    listen 127.0.0.1:${PORT};
                    server_name bare.test;
                    proxy_connect;
                }
            }
            """;
    /** 10 MiB: more than any socket buffer, so the region is written in many steps. */
    private static final int BIG = 10 << 20;
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static TestProxy nio;

    @BeforeAll
    static void start() throws Exception {
        TestFiles.write(dir, "html/a.txt", "hello world\n");
        TestFiles.write(dir, "html/style.css", "p {}\n");
        TestFiles.write(dir, "html/index.html", "<p>home</p>\n");
        TestFiles.write(dir, "html/dir/index.html", "<p>dir</p>\n");
        TestFiles.write(dir, "html/noindex/x.txt", "x");
        TestFiles.write(dir, "html/idx/second.html", "second\n");
        TestFiles.write(dir, "html/typed/a.tst", "t");
        TestFiles.write(dir, "html/typed/a.css", "c");
        TestFiles.write(dir, "html/plain/a.unknown", "u");
        TestFiles.write(dir, "html/empty.txt", "");
        TestFiles.write(dir, "html/a b/index.html", "spaced\n");
        TestFiles.write(dir, "html/vidx/two.html", "two\n");
        TestFiles.write(dir, "vr/vroot/f.txt", "from vr\n");
        TestFiles.write(dir, "aliased/f.txt", "aliased\n");
        TestFiles.write(dir, "mime.types", "types {\n    text/x-test tst TST;\n}\n");
        Files.setLastModifiedTime(dir.resolve("html/a.txt"), FileTime.from(Instant.ofEpochSecond(MTIME)));
        try (OutputStream out = Files.newOutputStream(dir.resolve("html/big.bin"))) {
            Payload.writeTo(out, BIG, 7);
        }
        proxy = TestProxy.start(dir, CONFIG.formatted("epoll"));
        // the NIO proxy has its own prefix (and logs) with the same files
        Path nioDir = Files.createDirectory(dir.resolve("nio"));
        Files.createSymbolicLink(nioDir.resolve("html"), dir.resolve("html"));
        Files.createSymbolicLink(nioDir.resolve("aliased"), dir.resolve("aliased"));
        Files.copy(dir.resolve("mime.types"), nioDir.resolve("mime.types"));
        nio = TestProxy.start(nioDir, CONFIG.formatted("nio"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        nio.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void fileIsSentWithNginxHeadersAndLogged(String transport) throws Exception {
        TestProxy p = transport.equals("epoll") ? proxy : nio;
        Logs logs = Logs.mark(p);
        try (RawClient client = RawClient.connect(p.address())) {
            client.send("GET /a.txt HTTP/1.1\r\nHost: static.test\r\n\r\n");
            Reply reply = Reply.read(client);
            reply.assertMade("HTTP/1.1 200 OK", false, true);
            assertThat(reply.headerNames()).containsExactly("Server", "Date", "Content-Type", "Content-Length",
                    "Last-Modified", "Connection", "ETag", "Accept-Ranges");
            assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
            assertThat(reply.header("Last-Modified")).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
            assertThat(reply.header("ETag")).isEqualTo("\"6553f100-c\"");
            assertThat(reply.header("Accept-Ranges")).isEqualTo("bytes");
            assertThat(reply.body()).isEqualTo("hello world\n");
            assertThat(logs.accessLine()).isEqualTo("\"GET /a.txt HTTP/1.1\" 200 " + reply.wireLength() + " 12");
            // the connection stays usable after a file body
            client.send("GET /style.css HTTP/1.1\r\nHost: static.test\r\n\r\n");
            assertThat(Reply.read(client).header("Content-Type")).isEqualTo("text/css");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void tenMebibyteFileArrivesWhole(String transport) throws Exception {
        TestProxy p = transport.equals("epoll") ? proxy : nio;
        Logs logs = Logs.mark(p);
        try (RawClient client = RawClient.connect(p.address())) {
            client.send("GET /big.bin HTTP/1.1\r\nHost: static.test\r\n\r\n");
            Reply head = Reply.parse(client.readHead());
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(BIG));
            assertThat(head.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(client.digest(BIG)).isEqualTo(new Received(BIG, Payload.sha256(BIG, 7)));
            assertThat(logs.accessLine()).endsWith(" " + BIG);
        }
        // the file is closed once written
        await().atMost(Duration.ofSeconds(5)).until(() -> openHandles(dir.resolve("html/big.bin")) == 0);
    }

    @Test
    void curlDownloadsTheBigFileWithTheRightDigest() throws Exception {
        Assumptions.assumeTrue(Curl.available(), "curl is not installed");
        Path out = dir.resolve("download.bin");
        Curl.Result r = Curl.run("-o", out.toString(), "-w", "%{http_code} %{size_download}",
                "-H", "Host: static.test", "http://127.0.0.1:" + proxy.port() + "/big.bin");
        assertThat(r.stdout()).isEqualTo("200 " + BIG);
        assertThat(Payload.sha256(Files.readAllBytes(out))).isEqualTo(Payload.sha256(BIG, 7));
    }

    @Test
    void pipelinedFileRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("GET /a.txt HTTP/1.1\r\nHost: static.test\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: static.test\r\n\r\n"
                    + "GET /dir/ HTTP/1.1\r\nHost: static.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("hello world\n");
            assertThat(Reply.read(client).status()).isEqualTo(404);
            assertThat(Reply.read(client).body()).isEqualTo("<p>dir</p>\n");
            assertThat(logs.accessLines(3)).extracting(l -> l.substring(0, l.indexOf('"', 1) + 5))
                    .containsExactly("\"GET /a.txt HTTP/1.1\" 200", "\"GET /missing HTTP/1.1\" 404",
                            "\"GET /dir/ HTTP/1.1\" 200");
        }
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

    @Test
    void headSendsTheHeadersOnly() throws Exception {
        try (RawClient client = RawClient.connect(proxy.address())) {
            Logs logs = Logs.mark(proxy);
            client.send("HEAD /a.txt HTTP/1.1\r\nHost: static.test\r\n\r\n");
            String head = client.readHead();
            assertThat(Reply.parse(head).header("Content-Length")).isEqualTo("12");
            assertThat(logs.accessLine()).isEqualTo("\"HEAD /a.txt HTTP/1.1\" 200 " + head.length() + " 0");
            await().atMost(Duration.ofSeconds(5)).until(() -> openHandles(dir.resolve("html/a.txt")) == 0);
            // had a body been sent, it would be read here instead of the next status line
            client.send("GET /style.css HTTP/1.1\r\nHost: static.test\r\n\r\n");
            assertThat(Reply.read(client).body()).isEqualTo("p {}\n");
        }
    }

    @Test
    void emptyFileHasZeroLength() throws Exception {
        Reply reply = get("/empty.txt", "static.test", "");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Length")).isEqualTo("0");
    }

    @Test
    void ifModifiedSinceTheFileTimeIs304() throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /a.txt HTTP/1.1\r\nHost: static.test\r\n"
                    + "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n");
            String head = client.readHead();
            Reply reply = Reply.parse(head);
            assertThat(reply.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(reply.headerNames()).containsExactly("Server", "Date", "Last-Modified", "Connection", "ETag");
            assertThat(logs.accessLine()).isEqualTo("\"GET /a.txt HTTP/1.1\" 304 " + head.length() + " 0");
        }
        // nginx's default is an exact match: any other time sends the file
        assertThat(get("/a.txt", "static.test", "If-Modified-Since: Tue, 14 Nov 2023 22:13:21 GMT\r\n").status())
                .isEqualTo(200);
        assertThat(get("/a.txt", "static.test", "If-None-Match: \"6553f100-c\"\r\n").status()).isEqualTo(304);
    }

    @Test
    void singleRangeIs206() throws Exception {
        Reply reply = get("/a.txt", "static.test", "Range: bytes=6-\r\n");
        reply.assertMade("HTTP/1.1 206 Partial Content", false, true);
        assertThat(reply.body()).isEqualTo("world\n");
        assertThat(reply.header("Content-Range")).isEqualTo("bytes 6-11/12");
        assertThat(reply.header("Accept-Ranges")).isNull();
        assertThat(get("/a.txt", "static.test", "Range: bytes=-3\r\n").body()).isEqualTo("ld\n");
    }

    @Test
    void unsatisfiableRangeIs416() throws Exception {
        Reply reply = get("/a.txt", "static.test", "Range: bytes=20-30\r\n");
        reply.assertPage("HTTP/1.1 416 Requested Range Not Satisfiable", "416 Requested Range Not Satisfiable", false);
        assertThat(reply.header("Content-Range")).isEqualTo("bytes */12");
    }

    @Test
    void postToAFileIs405AndOtherMethodsToo() throws Exception {
        assertThat(get("/missing.txt", "static.test", "", "POST").status()).isEqualTo(404);
        get("/a.txt", "static.test", "", "POST").assertPage("HTTP/1.1 405 Not Allowed", "405 Not Allowed", false);
        assertThat(get("/a.txt", "static.test", "", "DELETE").status()).isEqualTo(405);
    }

    @Test
    void permissionDeniedIs403() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path secret = TestFiles.write(dir, "html/secret.txt", "s");
        secret.toFile().setReadable(false, false);
        Logs logs = Logs.mark(proxy);
        assertThat(get("/secret.txt", "static.test", "").status()).isEqualTo(403);
        logs.errorLine("error", "open() \"" + secret + "\" failed (13: Permission denied)");
    }

    /** How many descriptors of this JVM have {@code file} open (Linux's /proc). */
    private static long openHandles(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc/self/fd");
        Path target = file.toRealPath();
        try (Stream<Path> list = Files.list(fds)) {
            return list.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                    // closed while listing
                    return false;
                }
            }).count();
        }
    }

    private static Reply get(String uri, String host, String headers) throws Exception {
        return get(uri, host, headers, "GET");
    }

    /** One request on a new connection; its access-log line is awaited so it stays out of the next test. */
    private static Reply get(String uri, String host, String headers, String method) throws Exception {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(method + " " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n");
            Reply reply = Reply.read(client);
            logs.accessLine();
            return reply;
        }
    }
}
