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
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files sent as nginx's static module sends them (spec §1.1, §8.13), on a {@code proxy_connect}
 * server: nginx's headers and a zero-copy body on both transports (epoll's sendfile and NIO's
 * transfer), a 10 MiB file whole, access-log byte counts, files closed once sent, pipelined file
 * requests in order, HEAD, empty files, 304, 206 and 416, 405 and permission errors.
 * The site is {@link StaticSite}; URI-to-file mapping is tested in {@link StaticPathsTest}.
 */
class StaticFilesTest {
    /** 10 MiB: more than any socket buffer, so the region is written in many steps. */
    private static final int BIG = 10 << 20;

    @TempDir
    static Path dir;
    private static TestProxy proxy;
    private static TestProxy nio;

    @BeforeAll
    static void start() throws Exception {
        proxy = StaticSite.start(dir, "epoll");
        try (OutputStream out = Files.newOutputStream(dir.resolve("html/big.bin"))) {
            Payload.writeTo(out, BIG, 7);
        }
        // the NIO proxy has its own prefix (and logs) with the same files
        Path nioDir = Files.createDirectory(dir.resolve("nio"));
        nio = StaticSite.start(nioDir, "nio");
        Files.copy(dir.resolve("html/big.bin"), nioDir.resolve("html/big.bin"));
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
        await().atMost(Duration.ofSeconds(5)).until(() -> openHandles(p.dir().resolve("html/big.bin")) == 0);
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

    private static Reply get(String uri, String host, String headers, String method) throws Exception {
        return StaticSite.request(proxy, method, uri, host, headers);
    }
}
