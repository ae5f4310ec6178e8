package io.tunnelgate.http;

import io.tunnelgate.testsupport.RawClient;
import io.tunnelgate.testsupport.TestFiles;
import io.tunnelgate.testsupport.TestProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * The site the static-file tests serve: a {@code proxy_connect} server with the default root
 * ({@code html} in the test directory, the prefix) and locations for alias, index, types,
 * default_type, log_not_found and variables, plus a server with no location at all.
 */
final class StaticSite {
    static final String CONFIG = """
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
    /** The modification time of {@code /a.txt}: {@code Tue, 14 Nov 2023 22:13:20 GMT}. */
    static final long MTIME = 1_700_000_000L;

    private StaticSite() {
    }

    /** Writes the site's files under {@code dir} and starts a proxy on {@code transport}. */
    static TestProxy start(Path dir, String transport) throws IOException {
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
        return TestProxy.start(dir, CONFIG.formatted(transport));
    }

    /**
     * One request on a new connection; its access-log line is awaited so that it stays out of the
     * next test's lines.
     */
    static Reply request(TestProxy proxy, String method, String uri, String host, String headers)
            throws IOException {
        Logs logs = Logs.mark(proxy);
        try (RawClient client = RawClient.connect(proxy.address())) {
            client.send(method + " " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n");
            Reply reply = Reply.read(client);
            logs.accessLine();
            return reply;
        }
    }
}
