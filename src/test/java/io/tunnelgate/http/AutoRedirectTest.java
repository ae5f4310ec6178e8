package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelgate.config.ConfigReader;
import io.tunnelgate.log.LogClock;
import io.tunnelgate.log.LogWriter;
import io.tunnelgate.server.Configs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nginx's auto-redirect through the whole request path (decoder, phases, response): no directive
 * sets {@link HttpSettings#AUTO_REDIRECT} yet ({@code proxy_pass} will), so the locations of a
 * loaded config whose names end with {@code /} get the flag here, and requests are driven through
 * an {@link EmbeddedChannel}.
 */
class AutoRedirectTest {
    private static final String CONFIG = """
            http {
                access_log off;
                server {
                    listen 127.0.0.1:8080;
                    server_name proxy.test;
                    location /app/ { return 200 "app"; }
                    location = /exact/ { return 200 "exact"; }
                    location "/a b/" { return 200 "space"; }
                    location / { return 200 "root"; }
                }
            }
            """;

    @TempDir
    Path dir;
    private LogWriter writer;
    private EmbeddedChannel channel;

    @BeforeEach
    void start() throws Exception {
        writer = new LogWriter();
        writer.start();
        ServerConf loaded = Configs.load(ConfigReader.read(CONFIG, dir.resolve("t.conf")), null, dir, writer,
                new LogClock()).http().servers().get(0);
        List<LocationConf> flagged = new ArrayList<>();
        for (LocationConf l : loaded.locations().list()) {
            boolean auto = l.pattern().length() > 1 && l.pattern().endsWith("/");
            flagged.add(new LocationConf(l.match(), l.pattern(), l.regex(), auto, l.rewrite(), l.access(),
                    l.handler(), l.level(), l.nested(), l.pos()));
        }
        ServerConf server = new ServerConf(loaded.names(), loaded.listens(), loaded.connectHandler(),
                loaded.rewrite(), loaded.access(), loaded.defaultHandler(), Locations.of(flagged), loaded.level(),
                loaded.resolver(), loaded.timeouts(), loaded.pos());
        channel = new EmbeddedChannel();
        Services services = new Services(null, null, null, new LogClock(), System::nanoTime, Runnable::run);
        ClientConnection conn = new ClientConnection(1, channel, new VirtualHosts(List.of(server), server), services);
        RequestDecoder decoder = new RequestDecoder(server.timeouts());
        channel.pipeline().addLast("http", decoder).addLast("front", new FrontendHandler(conn, decoder));
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        writer.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/app?x=1 | 301 | /app/?x=1",
        "/app     | 301 | /app/",
        "/exact   | 301 | /exact/",
        "/a%20b   | 301 | /a%20b/",
        "/app/    | 200 | app",
        "/ap      | 200 | root",
    })
    void theUriWithoutTheSlashIsRedirectedToTheLocation(String uri, int status, String expected) {
        channel.writeInbound(Unpooled.copiedBuffer("GET " + uri + " HTTP/1.1\r\nHost: proxy.test\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        Reply reply = Reply.parse(outbound());
        assertThat(reply.status()).isEqualTo(status);
        if (status == 301) {
            assertThat(reply.header("Location")).startsWith("http://proxy.test").endsWith(expected);
            assertThat(reply.body()).contains("301 Moved Permanently");
        } else {
            assertThat(reply.body()).isEqualTo(expected);
        }
    }

    /** Everything the proxy wrote, as text; the buffers are released. */
    private String outbound() {
        StringBuilder out = new StringBuilder();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }
}
