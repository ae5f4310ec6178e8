package io.tunnelgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decoder's shared header names and method: the same names and case as sent, each one object. */
class KnownNamesTest {
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new RequestDecoder(new ClientLimits(60_000, 75_000, 1024, 4, 8192)));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private HttpRequest decode(String head) {
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest req = channel.readInbound();
        LastHttpContent end = channel.readInbound();
        end.release();
        assertThat(req.decoderResult().isSuccess()).isTrue();
        return req;
    }

    private static List<String> names(HttpRequest req) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                req.headers()::iteratorCharSequence) {
            names.add(e.getKey().toString());
        }
        return names;
    }

    private static CharSequence key(HttpRequest req, int index) {
        var it = req.headers().iteratorCharSequence();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next().getKey();
    }

    @Test
    void knownNamesAreSharedAcrossRequests() {
        String head = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nUser-Agent: curl/8.5.0\r\n"
                + "Proxy-Connection: Keep-Alive\r\n\r\n";
        HttpRequest first = decode(head);
        HttpRequest second = decode(head);
        assertThat(first.method()).isSameAs(HttpMethod.CONNECT);
        assertThat(names(first)).containsExactly("Host", "User-Agent", "Proxy-Connection");
        assertThat(key(first, 1)).isSameAs(key(second, 1));
        assertThat(key(first, 2)).isSameAs(key(second, 2));
        assertThat(second.headers().get("user-agent")).isEqualTo("curl/8.5.0");
    }

    @Test
    void namesInOtherCaseKeepTheirSpelling() {
        HttpRequest req = decode("GET http://example.com/ HTTP/1.1\r\nhost: example.com\r\nuser-agent: a\r\n"
                + "USER-AGENT: b\r\nReferer: http://example.com/\r\nx-custom: c\r\n\r\n");
        assertThat(names(req)).containsExactly("host", "user-agent", "USER-AGENT", "Referer", "x-custom");
        assertThat(req.headers().getAll("User-Agent")).containsExactly("a", "b");
    }

    @Test
    void aMethodLikeConnectIsNotConnect() {
        HttpRequest req = decode("CONNECTX example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(req.method().name()).isEqualTo("CONNECTX");
    }
}
